#include "tests/integration/mysql_connector/json_diff.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace sluice::testing {
namespace {

// The path with numeric indices written "[]" (named elements keep their names).
std::string Pattern(const std::string& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[' && i + 1 < path.size() && absl::ascii_isdigit(path[i + 1])) {
      out += "[]";
      while (i < path.size() && path[i] != ']') ++i;
    } else {
      out.push_back(path[i]);
    }
  }
  return out;
}

// An array element's label: the struct field or column it describes, else its index.
std::string Label(const rapidjson::Value& element, rapidjson::SizeType index) {
  for (const char* key : {"field", "name"}) {
    if (element.IsObject() && element.HasMember(key) && element[key].IsString()) {
      return element[key].GetString();
    }
  }
  return absl::StrCat(index);
}

void Add(const std::string& path, const std::string& want, const std::string& got,
         std::vector<JsonDifference>* out) {
  out->push_back(JsonDifference{path, Pattern(path), want, got});
}

// True when every element of `array` is an object naming a struct field (`"field": "..."`).
bool NamedFields(const rapidjson::Value& array) {
  if (array.Empty()) return false;
  for (const auto& element : array.GetArray()) {
    if (!element.IsObject() || !element.HasMember("field") || !element["field"].IsString()) {
      return false;
    }
  }
  return true;
}

const rapidjson::Value* FieldNamed(const rapidjson::Value& array, const std::string& name) {
  for (const auto& element : array.GetArray()) {
    if (name == element["field"].GetString()) return &element;
  }
  return nullptr;
}

}  // namespace

std::string CompactJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseFullPrecisionFlag>(text.c_str());
  return document;
}

void DiffJson(const rapidjson::Value& want, const rapidjson::Value& got, const std::string& path,
              std::vector<JsonDifference>* out) {
  if (want.IsObject() && got.IsObject()) {
    std::vector<std::string> want_order, got_order;
    for (const auto& member : want.GetObject()) {
      const std::string name = member.name.GetString();
      want_order.push_back(name);
      const std::string child = path.empty() ? name : absl::StrCat(path, ".", name);
      auto found = got.FindMember(member.name);
      if (found == got.MemberEnd()) {
        Add(child, CompactJson(member.value), "<absent>", out);
      } else {
        DiffJson(member.value, found->value, child, out);
      }
    }
    for (const auto& member : got.GetObject()) {
      const std::string name = member.name.GetString();
      if (!want.HasMember(member.name)) {
        Add(path.empty() ? name : absl::StrCat(path, ".", name), "<absent>",
            CompactJson(member.value), out);
      } else {
        got_order.push_back(name);
      }
    }
    std::vector<std::string> common;
    for (const std::string& name : want_order) {
      if (got.HasMember(name.c_str())) common.push_back(name);
    }
    if (common != got_order) {
      Add(absl::StrCat(path, "{order}"), absl::StrJoin(common, ","), absl::StrJoin(got_order, ","),
          out);
    }
    return;
  }
  if (want.IsArray() && got.IsArray() && NamedFields(want) && NamedFields(got)) {
    std::vector<std::string> want_order, got_order;
    for (const auto& element : want.GetArray()) {
      const std::string name = element["field"].GetString();
      const std::string child = absl::StrCat(path, "[", name, "]");
      const rapidjson::Value* found = FieldNamed(got, name);
      if (found == nullptr) {
        Add(child, CompactJson(element), "<absent>", out);
      } else {
        want_order.push_back(name);
        DiffJson(element, *found, child, out);
      }
    }
    for (const auto& element : got.GetArray()) {
      const std::string name = element["field"].GetString();
      if (FieldNamed(want, name) == nullptr) {
        Add(absl::StrCat(path, "[", name, "]"), "<absent>", CompactJson(element), out);
      } else {
        got_order.push_back(name);
      }
    }
    if (want_order != got_order) {
      Add(absl::StrCat(path, "{order}"), absl::StrJoin(want_order, ","),
          absl::StrJoin(got_order, ","), out);
    }
    return;
  }
  if (want.IsArray() && got.IsArray()) {
    const rapidjson::SizeType n = std::min(want.Size(), got.Size());
    for (rapidjson::SizeType i = 0; i < n; ++i) {
      DiffJson(want[i], got[i], absl::StrCat(path, "[", Label(want[i], i), "]"), out);
    }
    if (want.Size() != got.Size()) {
      Add(absl::StrCat(path, "{size}"), absl::StrCat(want.Size()), absl::StrCat(got.Size()), out);
    }
    return;
  }
  const std::string a = CompactJson(want), b = CompactJson(got);
  if (a != b) Add(path, a, b, out);
}

}  // namespace sluice::testing
