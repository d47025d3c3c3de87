// Status: the outcome of a harness operation that returns no value (stop, restart, publish).
//
// A Result holding std::monostate, so callers write the same `ASSERT_TRUE(s.ok()) <<
// s.error().message` as for Result<T>. The message of a failed server operation carries the
// server's own output.
#pragma once

#include <variant>

#include "core/result.h"

namespace fmn::test {

using Status = Result<std::monostate>;

inline Status ok_status() { return std::monostate{}; }

}  // namespace fmn::test
