#include "core/meta_value.h"
#include "core/json_writer.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace fmn::meta {

Value Value::of_view(std::string_view v) {
  Value out;
  out.kind = Kind::kView;
  out.view = v;
  return out;
}

Value Value::of_text(std::string t) {
  Value out;
  out.kind = Kind::kText;
  out.text = std::move(t);
  return out;
}

Value Value::of_bool(bool b) {
  Value out;
  out.kind = Kind::kBool;
  out.flag = b;
  return out;
}

Value Value::of_json(const JsonValue* v) {
  if (v->IsString()) return of_view({v->GetString(), v->GetStringLength()});
  Value out;
  out.kind = Kind::kJson;
  out.json = v;
  return out;
}

Value Value::of_list(std::vector<Value> items) {
  Value out;
  out.kind = Kind::kList;
  out.items = std::move(items);
  return out;
}

bool Value::truthy() const {
  switch (kind) {
    case Kind::kMissing:
      return false;
    case Kind::kView:
    case Kind::kText:
      return !str().empty();
    case Kind::kBool:
      return flag;
    case Kind::kList:
      return !items.empty();
    case Kind::kJson:
      if (json->IsNull()) return false;
      if (json->IsBool()) return json->GetBool();
      if (json->IsNumber()) return json->GetDouble() != 0.0;
      if (json->IsArray()) return !json->Empty();
      return json->MemberCount() != 0;
  }
  return false;
}

void append_python_float(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string_view s(buf);
  out += s;
  if (s.find_first_of(".en") == std::string_view::npos) out += ".0";
}

void Value::append_to(std::string& out) const {
  switch (kind) {
    case Kind::kMissing:
      return;
    case Kind::kView:
      out += view;
      return;
    case Kind::kText:
      out += text;
      return;
    case Kind::kBool:
      out += flag ? "True" : "False";
      return;
    case Kind::kList:
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        items[i].append_to(out);
      }
      return;
    case Kind::kJson:
      break;
  }
  const JsonValue& v = *json;
  if (v.IsNull()) {
    out += "None";
  } else if (v.IsBool()) {
    out += v.GetBool() ? "True" : "False";
  } else if (v.IsInt64()) {
    out += std::to_string(v.GetInt64());
  } else if (v.IsUint64()) {
    out += std::to_string(v.GetUint64());
  } else if (v.IsNumber()) {
    append_python_float(out, v.GetDouble());
  } else {
    // Objects and arrays rarely reach text; compact JSON is the honest rendering.
    JsonBuffer buffer;
    JsonWriter writer(buffer);
    v.Accept(writer);
    out.append(buffer.GetString(), buffer.GetSize());
  }
}

}  // namespace fmn::meta
