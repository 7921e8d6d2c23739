// PostgreSQL's side of COPY ... FROM STDIN (FORMAT text), written from its
// documentation rather than from core/store/copy_text: what the server
// makes of the bytes CopyRows writes, so a harness can hold the two
// against each other.
//
// Rows end with a newline and fields are split at tabs; a backslash takes
// the next character with it (\b \f \n \r \t \v, up to three octal digits,
// \x and one or two hex digits, or the character itself); a field that is
// exactly \N is NULL; \. ends the data (PostgreSQL 15 takes it as the end
// wherever it stands, and refuses it anywhere but alone on a line).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"

namespace tend::fuzz {

using CopyField = std::optional<std::string>;  // nothing for NULL
using CopyRow = std::vector<CopyField>;

// Every row, or why the server would stop reading.
Expected<std::vector<CopyRow>> read_copy_text(std::string_view data);

// A text[] column's literal, {"a","b\"c"}, into its items (every item
// quoted, as CopyRows writes them).
Expected<std::vector<std::string>> read_text_array(std::string_view literal);

// A bytea column in its hex form, \x0001ff, into its bytes.
Expected<std::string> read_bytea_hex(std::string_view text);

// A timestamptz as CopyRows writes it, "2026-11-23 08:00:00.123456+00", into
// microseconds since the epoch.
Expected<int64_t> read_timestamp_us(std::string_view text);

// What PostgreSQL accepts in a text column: valid UTF-8 (no overlong forms,
// no surrogates, nothing past U+10FFFF) without NUL bytes.
bool is_storable_utf8(std::string_view text);

}  // namespace tend::fuzz
