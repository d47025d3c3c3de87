// The page's scripts: gzipped for a browser that accepts it, as they are for anyone else; a copy
// the browser holds is confirmed by its ETag without the body.
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

// The value of `r`'s header `name`, or empty.
std::string header_of(const HttpResponse& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(NoneMatchNames, ReadsTheListOfEntityTagsComparedWeakly) {
  EXPECT_TRUE(none_match_names("\"abc\"", "\"abc\""));
  EXPECT_TRUE(none_match_names("\"x\", W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(none_match_names("*", "\"abc\""));
  EXPECT_FALSE(none_match_names("", "\"abc\""));
  EXPECT_FALSE(none_match_names("\"abcd\", \"ab\"", "\"abc\""));
  EXPECT_FALSE(none_match_names("abc", "\"abc\""));
}

TEST(ServeAsset, SendsTheGzipFormOnlyToWhoAcceptsIt) {
  const StaticAsset asset = make_static_asset("text/javascript", "plain", "zipped");
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
            (std::vector<std::pair<std::string, std::string>>{
                {"Vary", "Accept-Encoding"}, {"Cache-Control", "no-cache"}, {"ETag", asset.etag}}));
  // An asset without a gzip form goes as it is to everyone.
  request.headers = {{"accept-encoding", "gzip"}};
  EXPECT_EQ(serve_asset(make_static_asset("text/javascript", "plain"), request).body, "plain");
}

TEST(ServeAsset, EachFormHasItsETagFromTheContentAndAMatchIsAnsweredWithoutTheBody) {
  const StaticAsset asset = make_static_asset("text/javascript", "plain", "zipped");
  EXPECT_EQ(asset.etag, make_static_asset("text/javascript", "plain").etag);
  EXPECT_NE(asset.etag, make_static_asset("text/javascript", "plain2").etag);
  HttpRequest plain;
  const std::string plain_tag = header_of(serve_asset(asset, plain), "ETag");
  HttpRequest zipped;
  zipped.headers = {{"accept-encoding", "gzip"}};
  const std::string zipped_tag = header_of(serve_asset(asset, zipped), "ETag");
  EXPECT_EQ(plain_tag, asset.etag);
  EXPECT_NE(zipped_tag, plain_tag);

  plain.headers = {{"if-none-match", plain_tag}};
  HttpResponse r = serve_asset(asset, plain);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(header_of(r, "ETag"), plain_tag);
  // The tag of the other form: that form's body.
  zipped.headers = {{"accept-encoding", "gzip"}, {"if-none-match", plain_tag}};
  r = serve_asset(asset, zipped);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "zipped");
}

}  // namespace
}  // namespace fmn::web
