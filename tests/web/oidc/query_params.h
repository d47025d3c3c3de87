// The parameters of a URL's query (or of a form body given as "?<body>"), percent-decoded; for
// tests reading the URLs and forms the relying party builds and the callbacks it receives.
#pragma once

#include <map>
#include <string>

namespace fmn::test {

std::map<std::string, std::string> query_params(const std::string& url);

}  // namespace fmn::test
