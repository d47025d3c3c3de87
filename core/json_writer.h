// JSON text output for every layer: RapidJSON's Writer over an in-memory buffer.
//
// RapidJSON 1.1.0's SIMD fast path for Writer<StringBuffer> (taken with RAPIDJSON_SSE42, which
// the parser wants) looks for characters below 0x19 instead of 0x20, so 0x1A-0x1F would be
// written unescaped: invalid JSON. JsonBuffer is a type of its own, so JsonWriter takes the
// scalar path, which escapes every control character.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace fmn {

class JsonBuffer : public rapidjson::StringBuffer {};

using JsonWriter = rapidjson::Writer<JsonBuffer>;

}  // namespace fmn
