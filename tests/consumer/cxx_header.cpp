// cxx_header.cpp - pubrender.h used from C++: it compiles with -Wpedantic
// -Werror, links (extern "C"), and the run-time version matches the header.
#include <pubrender.h>
#include <cstdio>
#include <cstring>
#include <string>

int main() {
  if (std::strcmp(pr_version_string(), PUBRENDER_VERSION_STRING) != 0) {
    std::printf("FAIL: library %s, header %s\n", pr_version_string(), PUBRENDER_VERSION_STRING);
    return 1;
  }
  static_assert(PUBRENDER_VERSION_NUMBER == ((PUBRENDER_VERSION_MAJOR << 16) | (PUBRENDER_VERSION_MINOR << 8) |
                                      PUBRENDER_VERSION_PATCH), "version number");
  const std::string bib = "@misc{cxx2020, title = {Rendered from {C++}}, year = 2020}\n";
  pr_bib *b = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  char *out = nullptr;
  std::size_t len = 0;
  bool ok = pr_bib_add_buffer(b, bib.data(), bib.size(), "cxx.bib", &err) == PR_OK &&
            pr_options_set_format(o, PR_FORMAT_MARKDOWN) == PR_OK &&
            pr_render_string(b, o, &out, &len, NULL, &err) == PR_OK &&
            std::string(out, len).find("Rendered from C++") != std::string::npos;
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(b);
  std::printf("%s\n", ok ? "C++ ok" : "FAIL: render from C++");
  return ok ? 0 : 1;
}
