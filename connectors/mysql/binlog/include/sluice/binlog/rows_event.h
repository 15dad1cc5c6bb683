// WRITE/UPDATE/DELETE_ROWS events, v1 (MariaDB) and v2 (MySQL), their MariaDB compressed forms,
// and the row reader that decodes their images column by column.
#ifndef SLUICE_BINLOG_ROWS_EVENT_H_
#define SLUICE_BINLOG_ROWS_EVENT_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "sluice/binlog/column_value.h"
#include "sluice/binlog/event_context.h"
#include "sluice/binlog/table_map.h"

namespace sluice::binlog {

enum class RowsKind : uint8_t { kWrite, kUpdate, kDelete };

struct RowsEvent {
  static constexpr uint16_t kStatementEnd = 0x0001;  // last rows event of the statement
  static constexpr uint16_t kNoForeignKeyChecks = 0x0002;
  static constexpr uint16_t kRelaxedUniqueChecks = 0x0004;
  static constexpr uint16_t kCompleteRows = 0x0008;

  RowsKind kind = RowsKind::kWrite;
  int version = 2;              // 1 or 2
  bool partial_json = false;    // MySQL PARTIAL_UPDATE_ROWS_EVENT
  bool was_compressed = false;  // MariaDB *_ROWS_COMPRESSED_EVENT*
  uint64_t table_id = 0;
  uint16_t flags = 0;
  std::span<const uint8_t> extra_data;  // v2 extra row info, raw (NDB / partition info)
  uint32_t column_count = 0;
  // Columns-present bitmaps, one bit per column, least significant bit first. Partial images
  // (binlog_row_image=MINIMAL or NOBLOB) clear the bits of columns they leave out.
  std::span<const uint8_t> columns_before;  // the image of DELETE and UPDATE's before image
  std::span<const uint8_t> columns_after;   // WRITE's image and UPDATE's after image
  std::span<const uint8_t> rows;            // the row images, back to back
  std::shared_ptr<const TableMap> table;    // the map in force when the event was decoded
  EventContext context;

  bool end_of_statement() const { return flags & kStatementEnd; }
};

// One changed row. An image the event kind does not have is empty; a column missing from a
// partial image is ValueKind::kAbsent.
struct RowChange {
  std::vector<ColumnValue> before;
  std::vector<ColumnValue> after;
};

// Decodes the rows of one event in order. Cheap to construct; holds a reference to the event,
// which must outlive it. Reuse one RowChange across Next calls: after the first row its vectors
// have their size and decoding allocates nothing.
class RowReader {
 public:
  explicit RowReader(const RowsEvent& event);

  // Decodes the next row into `out`. Returns false when the event has no more rows; an error
  // names the event, its position, the row and the column.
  absl::StatusOr<bool> Next(RowChange& out);

  // Bytes of the event's row data decoded so far: a row's size is the difference across Next.
  size_t bytes_read() const { return static_cast<size_t>(pos_ - event_.rows.data()); }

 private:
  absl::Status ReadImage(std::span<const uint8_t> present, uint32_t present_count,
                         std::vector<ColumnValue>& image, const uint8_t* partial_bits);
  // PARTIAL_UPDATE_ROWS: the after image starts with value options and, when partial JSON is
  // on, a bitmap over the table's JSON columns saying which of them hold a diff.
  absl::Status ReadPartialUpdateHeader(const uint8_t** partial_bits);

  const RowsEvent& event_;
  const uint8_t* pos_;
  const uint8_t* end_;
  uint32_t before_count_ = 0;  // present columns in each image
  uint32_t after_count_ = 0;
  uint32_t rows_read_ = 0;
  std::vector<int32_t> json_ordinal_;  // PARTIAL_UPDATE_ROWS only: index among JSON columns
  uint32_t json_columns_ = 0;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_ROWS_EVENT_H_
