// The page's scripts: gzipped for a browser that accepts it, as they are for anyone else.
#include "web/static_asset.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fmn::web {
namespace {

TEST(AcceptsGzip, ReadsTheCodingsAndTheirWeights) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipped"));
}

TEST(ServeAsset, SendsTheGzipFormOnlyToWhoAcceptsIt) {
  const StaticAsset asset{"text/javascript", "plain", "zipped"};
  HttpRequest request;
  request.headers = {{"accept-encoding", "gzip"}};
  HttpResponse r = serve_asset(asset, request);
  EXPECT_EQ(r.body, "zipped");
  EXPECT_EQ(r.content_type, "text/javascript");
  EXPECT_NE(std::find(r.headers.begin(), r.headers.end(),
                      std::pair<std::string, std::string>{"Content-Encoding", "gzip"}),
            r.headers.end());

  request.headers.clear();
  r = serve_asset(asset, request);
  EXPECT_EQ(r.body, "plain");
  EXPECT_EQ(r.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Vary", "Accept-Encoding"}}));
  // An asset without a gzip form goes as it is to everyone.
  request.headers = {{"accept-encoding", "gzip"}};
  EXPECT_EQ(serve_asset({"text/javascript", "plain", {}}, request).body, "plain");
}

}  // namespace
}  // namespace fmn::web
