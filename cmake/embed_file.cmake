# Writes OUT, a C++ file defining fmn::embedded::SYMBOL() returning the bytes of IN.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE ${OUT}
  "#include <string_view>\nnamespace fmn::embedded {\nnamespace {\nconstexpr char kData[] = {${bytes} 0};\n}\n"
  "std::string_view ${SYMBOL}() { return {kData, sizeof(kData) - 1}; }\n}\n")
