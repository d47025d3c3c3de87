// The meta tables compiled into the binary (every data/meta/*.toml file, by file name), so
// binaries need no data files at run time. Generated at build time; see core/CMakeLists.txt.
#pragma once

#include <span>
#include <string_view>

namespace fmn::embedded {

struct NamedText {
  std::string_view name;  // file name, e.g. "bodhi.toml"
  std::string_view (*text)();
};

std::span<const NamedText> meta_tables();

}  // namespace fmn::embedded
