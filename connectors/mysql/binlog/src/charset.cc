#include "sluice/binlog/charset.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace sluice::binlog {
namespace {

struct Collation {
  uint16_t id;
  const char* charset;
};

// Collation id -> character set: MariaDB 10.11's information_schema.COLLATIONS, plus MySQL 8's
// ids MariaDB lacks (76 utf8mb3_tolower_ci, 248-250 gb18030, 255-323 utf8mb4 *_0900_*).
constexpr Collation kCollations[] = {
    {1, "big5"},       {2, "latin2"},     {3, "dec8"},        {4, "cp850"},       {5, "latin1"},
    {6, "hp8"},        {7, "koi8r"},      {8, "latin1"},      {9, "latin2"},      {10, "swe7"},
    {11, "ascii"},     {12, "ujis"},      {13, "sjis"},       {14, "cp1251"},     {15, "latin1"},
    {16, "hebrew"},    {18, "tis620"},    {19, "euckr"},      {20, "latin7"},     {21, "latin2"},
    {22, "koi8u"},     {23, "cp1251"},    {24, "gb2312"},     {25, "greek"},      {26, "cp1250"},
    {27, "latin2"},    {28, "gbk"},       {29, "cp1257"},     {30, "latin5"},     {31, "latin1"},
    {32, "armscii8"},  {33, "utf8mb3"},   {34, "cp1250"},     {35, "ucs2"},       {36, "cp866"},
    {37, "keybcs2"},   {38, "macce"},     {39, "macroman"},   {40, "cp852"},      {41, "latin7"},
    {42, "latin7"},    {43, "macce"},     {44, "cp1250"},     {45, "utf8mb4"},    {46, "utf8mb4"},
    {47, "latin1"},    {48, "latin1"},    {49, "latin1"},     {50, "cp1251"},     {51, "cp1251"},
    {52, "cp1251"},    {53, "macroman"},  {54, "utf16"},      {55, "utf16"},      {56, "utf16le"},
    {57, "cp1256"},    {58, "cp1257"},    {59, "cp1257"},     {60, "utf32"},      {61, "utf32"},
    {62, "utf16le"},   {63, "binary"},    {64, "armscii8"},   {65, "ascii"},      {66, "cp1250"},
    {67, "cp1256"},    {68, "cp866"},     {69, "dec8"},       {70, "greek"},      {71, "hebrew"},
    {72, "hp8"},       {73, "keybcs2"},   {74, "koi8r"},      {75, "koi8u"},      {76, "utf8mb3"},
    {77, "latin2"},    {78, "latin5"},    {79, "latin7"},     {80, "cp850"},      {81, "cp852"},
    {82, "swe7"},      {83, "utf8mb3"},   {84, "big5"},       {85, "euckr"},      {86, "gb2312"},
    {87, "gbk"},       {88, "sjis"},      {89, "tis620"},     {90, "ucs2"},       {91, "ujis"},
    {92, "geostd8"},   {93, "geostd8"},   {94, "latin1"},     {95, "cp932"},      {96, "cp932"},
    {97, "eucjpms"},   {98, "eucjpms"},   {99, "cp1250"},     {101, "utf16"},     {102, "utf16"},
    {103, "utf16"},    {104, "utf16"},    {105, "utf16"},     {106, "utf16"},     {107, "utf16"},
    {108, "utf16"},    {109, "utf16"},    {110, "utf16"},     {111, "utf16"},     {112, "utf16"},
    {113, "utf16"},    {114, "utf16"},    {115, "utf16"},     {116, "utf16"},     {117, "utf16"},
    {118, "utf16"},    {119, "utf16"},    {120, "utf16"},     {121, "utf16"},     {122, "utf16"},
    {123, "utf16"},    {124, "utf16"},    {128, "ucs2"},      {129, "ucs2"},      {130, "ucs2"},
    {131, "ucs2"},     {132, "ucs2"},     {133, "ucs2"},      {134, "ucs2"},      {135, "ucs2"},
    {136, "ucs2"},     {137, "ucs2"},     {138, "ucs2"},      {139, "ucs2"},      {140, "ucs2"},
    {141, "ucs2"},     {142, "ucs2"},     {143, "ucs2"},      {144, "ucs2"},      {145, "ucs2"},
    {146, "ucs2"},     {147, "ucs2"},     {148, "ucs2"},      {149, "ucs2"},      {150, "ucs2"},
    {151, "ucs2"},     {159, "ucs2"},     {160, "utf32"},     {161, "utf32"},     {162, "utf32"},
    {163, "utf32"},    {164, "utf32"},    {165, "utf32"},     {166, "utf32"},     {167, "utf32"},
    {168, "utf32"},    {169, "utf32"},    {170, "utf32"},     {171, "utf32"},     {172, "utf32"},
    {173, "utf32"},    {174, "utf32"},    {175, "utf32"},     {176, "utf32"},     {177, "utf32"},
    {178, "utf32"},    {179, "utf32"},    {180, "utf32"},     {181, "utf32"},     {182, "utf32"},
    {183, "utf32"},    {192, "utf8mb3"},  {193, "utf8mb3"},   {194, "utf8mb3"},   {195, "utf8mb3"},
    {196, "utf8mb3"},  {197, "utf8mb3"},  {198, "utf8mb3"},   {199, "utf8mb3"},   {200, "utf8mb3"},
    {201, "utf8mb3"},  {202, "utf8mb3"},  {203, "utf8mb3"},   {204, "utf8mb3"},   {205, "utf8mb3"},
    {206, "utf8mb3"},  {207, "utf8mb3"},  {208, "utf8mb3"},   {209, "utf8mb3"},   {210, "utf8mb3"},
    {211, "utf8mb3"},  {212, "utf8mb3"},  {213, "utf8mb3"},   {214, "utf8mb3"},   {215, "utf8mb3"},
    {223, "utf8mb3"},  {224, "utf8mb4"},  {225, "utf8mb4"},   {226, "utf8mb4"},   {227, "utf8mb4"},
    {228, "utf8mb4"},  {229, "utf8mb4"},  {230, "utf8mb4"},   {231, "utf8mb4"},   {232, "utf8mb4"},
    {233, "utf8mb4"},  {234, "utf8mb4"},  {235, "utf8mb4"},   {236, "utf8mb4"},   {237, "utf8mb4"},
    {238, "utf8mb4"},  {239, "utf8mb4"},  {240, "utf8mb4"},   {241, "utf8mb4"},   {242, "utf8mb4"},
    {243, "utf8mb4"},  {244, "utf8mb4"},  {245, "utf8mb4"},   {246, "utf8mb4"},   {247, "utf8mb4"},
    {248, "gb18030"},  {249, "gb18030"},  {250, "gb18030"},   {255, "utf8mb4"},   {256, "utf8mb4"},
    {257, "utf8mb4"},  {258, "utf8mb4"},  {259, "utf8mb4"},   {260, "utf8mb4"},   {261, "utf8mb4"},
    {262, "utf8mb4"},  {263, "utf8mb4"},  {264, "utf8mb4"},   {265, "utf8mb4"},   {266, "utf8mb4"},
    {267, "utf8mb4"},  {268, "utf8mb4"},  {269, "utf8mb4"},   {270, "utf8mb4"},   {271, "utf8mb4"},
    {272, "utf8mb4"},  {273, "utf8mb4"},  {274, "utf8mb4"},   {275, "utf8mb4"},   {276, "utf8mb4"},
    {277, "utf8mb4"},  {278, "utf8mb4"},  {279, "utf8mb4"},   {280, "utf8mb4"},   {281, "utf8mb4"},
    {282, "utf8mb4"},  {283, "utf8mb4"},  {284, "utf8mb4"},   {285, "utf8mb4"},   {286, "utf8mb4"},
    {287, "utf8mb4"},  {288, "utf8mb4"},  {289, "utf8mb4"},   {290, "utf8mb4"},   {291, "utf8mb4"},
    {292, "utf8mb4"},  {293, "utf8mb4"},  {294, "utf8mb4"},   {295, "utf8mb4"},   {296, "utf8mb4"},
    {297, "utf8mb4"},  {298, "utf8mb4"},  {299, "utf8mb4"},   {300, "utf8mb4"},   {301, "utf8mb4"},
    {302, "utf8mb4"},  {303, "utf8mb4"},  {304, "utf8mb4"},   {305, "utf8mb4"},   {306, "utf8mb4"},
    {307, "utf8mb4"},  {308, "utf8mb4"},  {309, "utf8mb4"},   {310, "utf8mb4"},   {311, "utf8mb4"},
    {312, "utf8mb4"},  {313, "utf8mb4"},  {314, "utf8mb4"},   {315, "utf8mb4"},   {316, "utf8mb4"},
    {317, "utf8mb4"},  {318, "utf8mb4"},  {319, "utf8mb4"},   {320, "utf8mb4"},   {321, "utf8mb4"},
    {322, "utf8mb4"},  {323, "utf8mb4"},  {576, "utf8mb3"},   {577, "utf8mb3"},   {578, "utf8mb3"},
    {608, "utf8mb4"},  {609, "utf8mb4"},  {610, "utf8mb4"},   {640, "ucs2"},      {641, "ucs2"},
    {642, "ucs2"},     {672, "utf16"},    {673, "utf16"},     {674, "utf16"},     {736, "utf32"},
    {737, "utf32"},    {738, "utf32"},    {1025, "big5"},     {1027, "dec8"},     {1028, "cp850"},
    {1030, "hp8"},     {1031, "koi8r"},   {1032, "latin1"},   {1033, "latin2"},   {1034, "swe7"},
    {1035, "ascii"},   {1036, "ujis"},    {1037, "sjis"},     {1040, "hebrew"},   {1042, "tis620"},
    {1043, "euckr"},   {1046, "koi8u"},   {1048, "gb2312"},   {1049, "greek"},    {1050, "cp1250"},
    {1052, "gbk"},     {1054, "latin5"},  {1056, "armscii8"}, {1057, "utf8mb3"},  {1059, "ucs2"},
    {1060, "cp866"},   {1061, "keybcs2"}, {1062, "macce"},    {1063, "macroman"}, {1064, "cp852"},
    {1065, "latin7"},  {1067, "macce"},   {1069, "utf8mb4"},  {1070, "utf8mb4"},  {1071, "latin1"},
    {1074, "cp1251"},  {1075, "cp1251"},  {1077, "macroman"}, {1078, "utf16"},    {1079, "utf16"},
    {1080, "utf16le"}, {1081, "cp1256"},  {1082, "cp1257"},   {1083, "cp1257"},   {1084, "utf32"},
    {1085, "utf32"},   {1086, "utf16le"}, {1088, "armscii8"}, {1089, "ascii"},    {1090, "cp1250"},
    {1091, "cp1256"},  {1092, "cp866"},   {1093, "dec8"},     {1094, "greek"},    {1095, "hebrew"},
    {1096, "hp8"},     {1097, "keybcs2"}, {1098, "koi8r"},    {1099, "koi8u"},    {1101, "latin2"},
    {1102, "latin5"},  {1103, "latin7"},  {1104, "cp850"},    {1105, "cp852"},    {1106, "swe7"},
    {1107, "utf8mb3"}, {1108, "big5"},    {1109, "euckr"},    {1110, "gb2312"},   {1111, "gbk"},
    {1112, "sjis"},    {1113, "tis620"},  {1114, "ucs2"},     {1115, "ujis"},     {1116, "geostd8"},
    {1117, "geostd8"}, {1119, "cp932"},   {1120, "cp932"},    {1121, "eucjpms"},  {1122, "eucjpms"},
    {1125, "utf16"},   {1147, "utf16"},   {1152, "ucs2"},     {1174, "ucs2"},     {1184, "utf32"},
    {1206, "utf32"},   {1216, "utf8mb3"}, {1238, "utf8mb3"},  {1248, "utf8mb4"},  {1270, "utf8mb4"},
};

// Windows-1252 for 0x80..0x9F as MySQL maps them (its five undefined bytes map to the C1
// controls of the same value); 0xA0..0xFF are Latin-1 and equal their code points.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr uint32_t kReplacement = 0xFFFD;

void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

absl::Status AppendUtf16(std::span<const uint8_t> b, bool big_endian, bool surrogates,
                         std::string* out) {
  if (b.size() % 2 != 0) return absl::DataLossError("UTF-16/UCS-2 text has an odd byte count");
  auto unit = [&](size_t i) -> uint32_t {
    return big_endian ? (uint32_t{b[i]} << 8) | b[i + 1] : (uint32_t{b[i + 1]} << 8) | b[i];
  };
  for (size_t i = 0; i < b.size(); i += 2) {
    uint32_t u = unit(i);
    if (surrogates && u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
      uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendCodePoint(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), out);
        i += 2;
        continue;
      }
    }
    AppendCodePoint(u, out);
  }
  return absl::OkStatus();
}

}  // namespace

CharsetInfo CharsetOfCollation(uint32_t collation_id) {
  const Collation* end = std::end(kCollations);
  const Collation* it = std::lower_bound(std::begin(kCollations), end, collation_id,
                                         [](const Collation& c, uint32_t id) { return c.id < id; });
  if (it == end || it->id != collation_id) return {};
  std::string_view name = it->charset;
  Charset cs = Charset::kOther;
  if (name == "binary")
    cs = Charset::kBinary;
  else if (name == "ascii")
    cs = Charset::kAscii;
  else if (name == "latin1")
    cs = Charset::kLatin1;
  else if (name == "utf8mb3")
    cs = Charset::kUtf8mb3;
  else if (name == "utf8mb4")
    cs = Charset::kUtf8mb4;
  else if (name == "ucs2")
    cs = Charset::kUcs2;
  else if (name == "utf16")
    cs = Charset::kUtf16;
  else if (name == "utf16le")
    cs = Charset::kUtf16le;
  else if (name == "utf32")
    cs = Charset::kUtf32;
  return {cs, name};
}

absl::Status AppendAsUtf8(Charset charset, std::span<const uint8_t> b, std::string* out) {
  switch (charset) {
    case Charset::kAscii:
    case Charset::kUtf8mb3:
    case Charset::kUtf8mb4:
      out->append(reinterpret_cast<const char*>(b.data()), b.size());
      return absl::OkStatus();
    case Charset::kLatin1:
      for (uint8_t c : b) {
        if (c < 0x80) {
          out->push_back(static_cast<char>(c));
        } else {
          AppendCodePoint(c < 0xA0 ? kCp1252High[c - 0x80] : c, out);
        }
      }
      return absl::OkStatus();
    case Charset::kUcs2:
      return AppendUtf16(b, /*big_endian=*/true, /*surrogates=*/false, out);
    case Charset::kUtf16:
      return AppendUtf16(b, true, true, out);
    case Charset::kUtf16le:
      return AppendUtf16(b, false, true, out);
    case Charset::kUtf32:
      if (b.size() % 4 != 0) return absl::DataLossError("UTF-32 text is not whole code units");
      for (size_t i = 0; i < b.size(); i += 4) {
        AppendCodePoint((uint32_t{b[i]} << 24) | (uint32_t{b[i + 1]} << 16) |
                            (uint32_t{b[i + 2]} << 8) | b[i + 3],
                        out);
      }
      return absl::OkStatus();
    case Charset::kBinary:
      return absl::InvalidArgumentError("binary data is not text");
    case Charset::kOther:
      return absl::UnimplementedError("this character set is not converted to UTF-8 yet");
    case Charset::kUnknown:
      break;
  }
  return absl::UnimplementedError("unknown character set");
}

size_t WellFormedUtf8Prefix(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t lead = static_cast<uint8_t>(bytes[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t cp, smallest;
    if ((lead & 0xE0) == 0xC0) {
      length = 2, cp = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, cp = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, cp = lead & 0x07, smallest = 0x10000;
    } else {
      return i;  // a continuation byte, or 0xF8..0xFF
    }
    if (bytes.size() - i < length) return i;
    for (size_t k = 1; k < length; ++k) {
      const uint8_t next = static_cast<uint8_t>(bytes[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (cp < smallest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += length;
  }
  return i;
}

}  // namespace sluice::binlog
