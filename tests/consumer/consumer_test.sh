#!/usr/bin/env bash
# consumer_test.sh MODE SOURCE_ROOT WORK_DIR [C_COMPILER]
#
# pubrender as a downstream project sees it. Everything is written under
# WORK_DIR (in the build tree); nothing outside it.
#   install       configure, build and `cmake --install` a Release pubrender
#                 (tests off) into WORK_DIR/prefix (the ctest fixture)
#   symbols       the installed libpubrender.so: SONAME (full version before
#                 1.0), exported == pubrender.h == cmake/pubrender.map, the
#                 files a package holds, the export sets split
#   pkgconfig     examples/ built with its Makefile (pkg-config), run; the
#                 .pc moved elsewhere still works; pkg-config --static links
#   find_package  examples/ configured with find_package(pubrender) and
#                 built (generator + pubrender_add_publications), run; then
#                 tests/consumer: the header as C++, the static library, and
#                 the build step rebuilding exactly when an input changes
#   no_dev        tests/consumer/shared with pkg-config and find_library unable
#                 to find any dependency (no -dev packages): the shared library
#                 and the CLI configure, build and run; COMPONENTS static fails
#                 naming what is missing
#   vendor        tests/consumer/vendor: add_subdirectory(pubrender) gets
#                 pubrender::pubrender and none of pubrender's tests
# Prints "FAIL: ..." per failed check and "N passed, N failed".
set -u
mode=$1 root=$(cd "$2" && pwd) work=$3 cc=${4:-cc}
prefix=$work/prefix
export LC_ALL=C
unset LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS   # nothing here is sanitized
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
done_() { echo "$pass passed, $fail failed"; ((fail == 0)); exit; }
gen=(-G "Unix Makefiles")
command -v ninja >/dev/null && gen=(-G Ninja)
libdir=lib   # GNUInstallDirs outside /usr

# What the generator must print: our markup for the featured entry, then
# pubrender's list of the others.
check_generator_output() { # WHAT FILE
  local f=$2
  check "$1: the featured entry in the example's own markup" \
    'grep -q "^  <h2>Metis: Fast Automatic Distributed Training on Heterogeneous GPUs</h2>$" "$f"'
  check "$1: its authors with marks" 'grep -q "<p>Taegeon Um\*, Byungsoo Oh\*, Myeongjae Jeon (2024)</p>" "$f"'
  check "$1: the rest in pubrender's HTML" \
    'grep -q "<li class=\"pubrender-entry pubrender-type-article\" id=\"pubrender-oh2021\">" "$f"'
  check "$1: the featured entry is not repeated" '! grep -q "id=\"pubrender-um2024metis\"" "$f"'
  check "$1: highlight and LaTeX conversion" \
    'grep -q "<strong class=\"pubrender-me\">Byungsoo Oh</strong>" "$f" && grep -q "Café Scheduling for Spark &amp; Friends" "$f"'
}

case $mode in
install)
  rm -rf "$work" && mkdir -p "$work" || exit 2
  start=$SECONDS
  cmake -S "$root" -B "$work/build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=OFF \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_INSTALL_PREFIX="$prefix" >"$work/configure.log" 2>&1
  check "configure (log: $work/configure.log)" '[[ $? == 0 ]]'
  cmake --build "$work/build" -j "$(nproc 2>/dev/null || echo 2)" >"$work/build.log" 2>&1
  check "build (log: $work/build.log)" '[[ $? == 0 ]]'
  cmake --install "$work/build" >"$work/install.log" 2>&1
  check "install (log: $work/install.log)" '[[ $? == 0 ]]'
  echo "built and installed in $((SECONDS - start)) s"
  done_
  ;;
symbols)
  so=$prefix/$libdir/libpubrender.so
  for f in include/pubrender.h include/pubrender_export.h include/pubrender_version.h \
           "$libdir/libpubrender.a" "$libdir/pkgconfig/pubrender.pc" \
           "$libdir/cmake/pubrender/pubrender-config.cmake" \
           "$libdir/cmake/pubrender/pubrender-config-version.cmake" \
           "$libdir/cmake/pubrender/pubrender-targets.cmake" \
           "$libdir/cmake/pubrender/pubrender-static-targets.cmake" \
           "$libdir/cmake/pubrender/pubrender-functions.cmake" \
           bin/pubrender share/man/man1/pubrender.1 share/man/man3/pubrender.3; do
    check "installed: $f" '[[ -s $prefix/$f ]]'
  done
  check "libpubrender.so is a link to the versioned file" '[[ -L $so && -f $(readlink -f "$so") ]]'
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
  # The rule: before 1.0 the full version (every release may break the ABI),
  # from 1.0 the major.
  version=$(sed -n "s/^project(pubrender VERSION \([0-9.]*\).*/\1/p" "$root/CMakeLists.txt")
  if [[ ${version%%.*} == 0 ]]; then want=libpubrender.so.$version; else want=libpubrender.so.${version%%.*}; fi
  check "SONAME $want (project version $version; got $soname)" '[[ $soname == "$want" && -e $prefix/$libdir/$soname ]]'
  check "libpubrender.so links to $want" '[[ $(readlink "$so") == "$want" ]]'
  bash "$root/tests/symbols_test.sh" "$so" "$prefix/include/pubrender.h" "$root/cmake/pubrender.map" ||
    fail=$((fail + 1))
  targets=$prefix/$libdir/cmake/pubrender/pubrender-targets.cmake
  static_targets=$prefix/$libdir/cmake/pubrender/pubrender-static-targets.cmake
  check "pubrender-targets.cmake: pubrender::pubrender and pubrender::cli, no dependency named" \
    'grep -q "add_library(pubrender::pubrender SHARED IMPORTED)" "$targets" &&
     grep -q "add_executable(pubrender::cli IMPORTED)" "$targets" &&
     ! grep -Eq "pubrender_static|PkgConfig::|btparse|Threads::" "$targets"'
  check "pubrender-static-targets.cmake: pubrender::pubrender_static with its dependencies" \
    'grep -q "add_library(pubrender::pubrender_static STATIC IMPORTED)" "$static_targets" &&
     grep -q "PkgConfig::CMARK" "$static_targets" && grep -q "pubrender::btparse" "$static_targets"'
  check "the installed program runs from its prefix (RPATH \$ORIGIN)" \
    '[[ $("$prefix/bin/pubrender" --version) == "pubrender "* ]]'
  check "man pages are valid roff" \
    'for m in "$prefix"/share/man/man*/pubrender.*; do [[ -z $(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null) ]] || exit 1; done'
  done_
  ;;
pkgconfig)
  export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
  rm -rf "$work/pc" && mkdir -p "$work/pc" && cp "$root/examples/generator.c" "$root/examples/Makefile" "$work/pc/"
  check "pkg-config knows pubrender $(pkg-config --modversion pubrender 2>&1)" \
    '[[ $(pkg-config --modversion pubrender) == $(sed -n "s/^project(pubrender VERSION \([0-9.]*\).*/\1/p" "$root/CMakeLists.txt") ]]'
  make -C "$work/pc" CC="$cc" >"$work/pc/make.log" 2>&1
  check "examples/Makefile builds the generator with pkg-config (log: $work/pc/make.log)" '[[ $? == 0 ]]'
  LD_LIBRARY_PATH=$prefix/$libdir "$work/pc/generator" >"$work/pc/out.html" 2>"$work/pc/err.txt"
  check "the generator runs, exit 0" '[[ $? == 0 && ! -s $work/pc/err.txt ]]'
  check_generator_output "pkg-config" "$work/pc/out.html"
  cflags=$(pkg-config --cflags pubrender)
  check "Cflags: the include directory, not PUBRENDER_STATIC_DEFINE ($cflags)" \
    '[[ $cflags == "-I$prefix/$libdir/pkgconfig/../../include"* && $cflags != *PUBRENDER_STATIC_DEFINE* ]]'
  libs=$(pkg-config --libs pubrender)
  check "Libs: -L -lpubrender, nothing private ($libs)" '[[ ${libs% } == "-L$prefix/$libdir/pkgconfig/../../$libdir -lpubrender" ]]'
  static_libs=$(pkg-config --static --libs pubrender)
  check "--static Libs: btparse, cmark, utf8proc, jansson, pthread, dl ($static_libs)" \
    'for l in -lbtparse -lcmark -lutf8proc -ljansson -pthread -ldl; do [[ " $static_libs " == *" $l "* ]] || exit 1; done'
  check "--static Cflags: PUBRENDER_STATIC_DEFINE" '[[ $(pkg-config --static --cflags pubrender) == *-DPUBRENDER_STATIC_DEFINE* ]]'
  # Relocatable: the same files elsewhere, no path rewritten.
  rm -rf "$work/moved" && cp -a "$prefix" "$work/moved"
  export PKG_CONFIG_PATH=$work/moved/$libdir/pkgconfig
  check "moved prefix: includedir follows the .pc file" \
    '[[ -f $(pkg-config --variable=includedir pubrender)/pubrender.h ]] && [[ $(pkg-config --cflags pubrender) == *"$work/moved/"* ]]'
  # shellcheck disable=SC2046
  "$cc" -std=c11 -o "$work/pc/generator_static" "$work/pc/generator.c" $(pkg-config --static --cflags pubrender) \
    $(pkg-config --static --libs pubrender | sed 's/-lpubrender\b/-l:libpubrender.a/') >"$work/pc/static.log" 2>&1
  check "pkg-config --static links libpubrender.a (log: $work/pc/static.log)" '[[ $? == 0 ]]'
  check "the static program does not need libpubrender.so" '! readelf -d "$work/pc/generator_static" | grep -q "libpubrender"'
  "$work/pc/generator_static" >"$work/pc/out_static.html" 2>/dev/null
  check "the static program prints the same" 'cmp -s "$work/pc/out.html" "$work/pc/out_static.html"'
  done_
  ;;
find_package)
  fp=$work/find_package
  rm -rf "$fp" && mkdir -p "$fp"
  cmake -S "$root/examples" -B "$fp/examples" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$prefix" >"$fp/configure.log" 2>&1
  check "examples/CMakeLists.txt configures with find_package (log: $fp/configure.log)" '[[ $? == 0 ]]'
  cmake --build "$fp/examples" >"$fp/build.log" 2>&1
  check "examples/ builds (log: $fp/build.log)" '[[ $? == 0 ]]'
  "$fp/examples/generator" >"$fp/out.html" 2>"$fp/err.txt"   # RPATH from CMake
  check "the generator runs, exit 0" '[[ $? == 0 && ! -s $fp/err.txt ]]'
  check_generator_output "find_package" "$fp/out.html"
  check "pubrender_add_publications wrote pubs.html" \
    'grep -q "<strong class=\"pubrender-me\">Byungsoo Oh</strong>" "$fp/examples/pubs.html"'
  check "... and its depfile" 'grep -q "examples/pubs.bib" "$fp/examples/pubs.html.d"'

  # tests/consumer: C++, static, and the build step's rebuild behaviour.
  cp "$root/examples/pubs.bib" "$fp/pubs.bib"
  cmake -S "$root/tests/consumer" -B "$fp/consumer" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLES="$root/examples" -DPUBS_BIB="$fp/pubs.bib" \
    >"$fp/consumer-configure.log" 2>&1
  check "tests/consumer configures (C and C++) (log: $fp/consumer-configure.log)" '[[ $? == 0 ]]'
  cmake --build "$fp/consumer" >"$fp/consumer-build.log" 2>&1
  check "tests/consumer builds: pubrender.h compiles as C++ with -Wpedantic -Werror (log: $fp/consumer-build.log)" '[[ $? == 0 ]]'
  check "C++ program runs" '[[ $("$fp/consumer/cxx_header") == "C++ ok" ]]'
  "$fp/consumer/generator_static" >"$fp/out_static.html" 2>/dev/null
  check "pubrender::pubrender_static: the example linked statically prints the same" \
    'cmp -s "$fp/out.html" "$fp/out_static.html" && ! readelf -d "$fp/consumer/generator_static" | grep -q libpubrender'
  out=$fp/consumer/pubs.html
  check "build step: pubs.html" '[[ -s $out ]]'
  if [[ ${gen[1]} == Ninja ]]; then
    check "build step: a second build has no work to do" \
      '[[ $(cmake --build "$fp/consumer" 2>&1) == *"no work to do"* ]]'
    touch -d '2001-02-03 04:05:06' "$out"
    before=$(stat -c %Y "$out")
    touch "$fp/pubs.bib"
    cmake --build "$fp/consumer" >/dev/null 2>&1
    check "build step: a touched .bib reruns pubrender, pubs.html untouched" '[[ $(stat -c %Y "$out") == "$before" ]]'
    check "build step: ... and then there is no work to do" \
      '[[ $(cmake --build "$fp/consumer" 2>&1) == *"no work to do"* ]]'
    echo '@misc{new2025, title = {Added Later}, year = 2025}' >>"$fp/pubs.bib"
    cmake --build "$fp/consumer" >/dev/null 2>&1
    check "build step: an edited .bib regenerates pubs.html" 'grep -q "Added Later" "$out"'
    echo '@misc{bad, title = {Bad} year = 2025}' >>"$fp/pubs.bib"
    cp "$out" "$fp/good.html"
    cmake --build "$fp/consumer" >"$fp/broken-build.log" 2>&1
    check "build step: a broken .bib fails the build with the diagnostic" \
      '[[ $? != 0 ]] && grep -q "pubs.bib:[0-9]*: error:" "$fp/broken-build.log"'
    check "build step: ... and keeps the last good pubs.html" 'cmp -s "$out" "$fp/good.html"'
  fi
  done_
  ;;
no_dev)
  # No -dev package of any dependency: pkg-config sees only an empty
  # directory (and pubrender.pc, which CMake adds from CMAKE_PREFIX_PATH),
  # and find_* skips every directory holding libbtparse.so or btparse.h.
  nd=$work/no_dev
  rm -rf "$nd" && mkdir -p "$nd/empty-pkgconfig"
  unset PKG_CONFIG_PATH
  export PKG_CONFIG_LIBDIR=$nd/empty-pkgconfig
  multiarch=$("$cc" -print-multiarch 2>/dev/null)
  ignore=""
  for p in /usr/local /usr ""; do
    for d in lib lib64 ${multiarch:+lib/$multiarch} include; do
      [[ -e $p/$d/libbtparse.so || -e $p/$d/libbtparse.a || -e $p/$d/btparse.h ]] && ignore+="${ignore:+;}$p/$d"
    done
  done
  hide=(-DCMAKE_IGNORE_PATH="$ignore" -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLES="$root/examples")
  cmake -S "$root/tests/consumer/shared" -B "$nd/shared" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    "${hide[@]}" >"$nd/configure.log" 2>&1
  check "find_package(pubrender) for the shared library configures without the dependencies (log: $nd/configure.log)" '[[ $? == 0 ]]'
  probe=$(grep -- '-- probe:' "$nd/configure.log")
  check "... where they really are hidden: btparse and libcmark.pc not found ($probe)" \
    '[[ $probe == *"library=PROBE_BTPARSE_LIBRARY-NOTFOUND header=PROBE_BTPARSE_INCLUDE-NOTFOUND libcmark.pc=no "* ]]'
  check "... and pubrender::pubrender_static is not defined" '[[ $probe == *"static target=no" ]]'
  cmake --build "$nd/shared" >"$nd/build.log" 2>&1
  check "the shared consumer builds: generator and the pubrender::cli build step (log: $nd/build.log)" '[[ $? == 0 ]]'
  "$nd/shared/generator" >"$nd/out.html" 2>"$nd/err.txt"
  check "the generator runs, exit 0" '[[ $? == 0 && ! -s $nd/err.txt ]]'
  check_generator_output "no -dev packages" "$nd/out.html"
  check "pubrender::cli wrote pubs.html" \
    'grep -q "<strong class=\"pubrender-me\">Byungsoo Oh</strong>" "$nd/shared/pubs.html"'
  cmake -S "$root/tests/consumer/shared" -B "$nd/static" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    "${hide[@]}" -DWANT_STATIC=ON >"$nd/static.log" 2>&1
  check "COMPONENTS static without the dependencies fails to configure (log: $nd/static.log)" '[[ $? != 0 ]]'
  msg=$(tr -s ' \n' ' ' <"$nd/static.log")
  check "... saying what libpubrender.a needs and was not found" \
    '[[ $msg == *"pubrender::pubrender_static (libpubrender.a) needs at link time what was not found: libcmark>=0.30 (pkg-config, Debian: libcmark-dev), libutf8proc"*"libbtparse (find_library, Debian: libbtparse-dev)."* ]]'
  check "... and that the shared library needs none of them" \
    '[[ $msg == *"The shared library pubrender::pubrender needs none of them."* ]]'
  # pkg-config for the shared library needs no other .pc file (pubrender.pc
  # has no Requires.private, which pkg-config resolves even for --cflags).
  export PKG_CONFIG_LIBDIR=$prefix/$libdir/pkgconfig
  pc=$(pkg-config --cflags --libs pubrender 2>&1)
  check "pkg-config --cflags --libs pubrender without the dependencies' .pc files ($pc)" \
    '[[ $? == 0 && $pc == "-I$prefix/$libdir/pkgconfig/../../include -L$prefix/$libdir/pkgconfig/../../$libdir -lpubrender"* ]]'
  rm -rf "$nd/pc" && mkdir -p "$nd/pc" && cp "$root/examples/generator.c" "$root/examples/Makefile" "$nd/pc/"
  make -C "$nd/pc" CC="$cc" >"$nd/pc/make.log" 2>&1
  check "examples/Makefile (pkg-config) builds the generator there (log: $nd/pc/make.log)" '[[ $? == 0 ]]'
  LD_LIBRARY_PATH=$prefix/$libdir "$nd/pc/generator" >"$nd/pc/out.html" 2>/dev/null
  check "... which prints what the CMake consumer's generator does" 'cmp -s "$nd/out.html" "$nd/pc/out.html"'
  done_
  ;;
vendor)
  vd=$work/vendor
  rm -rf "$vd" && mkdir -p "$vd"
  cmake -S "$root/tests/consumer/vendor" -B "$vd/build" "${gen[@]}" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE=Release -DPUBRENDER_SOURCE="$root" -DEXAMPLES="$root/examples" >"$vd/configure.log" 2>&1
  check "add_subdirectory(pubrender) configures (log: $vd/configure.log)" '[[ $? == 0 ]]'
  pr_tests=$(sed -n 's/^PR_TESTS:BOOL=//p' "$vd/build/CMakeCache.txt")
  check "PR_TESTS defaults to OFF when pubrender is not the top-level project (got $pr_tests)" '[[ $pr_tests == OFF ]]'
  listed=$(ctest --test-dir "$vd/build" -N 2>&1)
  check "ctest lists only the vendoring project's own test ($(echo $listed | grep -o 'Total Tests: [0-9]*'))" \
    '[[ $listed == *"Test #1: vendored"* && $listed == *"Total Tests: 1"* ]]'
  if [[ ${gen[1]} == Ninja ]]; then
    targets=$(ninja -C "$vd/build" -t targets all 2>&1)
  else
    targets=$(make -C "$vd/build" help 2>&1)
  fi
  check "the build's targets: the program and libpubrender, no pubrender test (test_parse, test_limits)" \
    '[[ $targets == *vendored* && $targets == *pubrender_static* ]] && ! grep -Eq "\btest_(parse|limits)\b" <<<"$targets"'
  check "pubrender's tests/ directory is not configured" '[[ -d $vd/build/pubrender && ! -e $vd/build/pubrender/tests ]]'
  cmake --build "$vd/build" --target vendored -j 2 >"$vd/build.log" 2>&1
  check "the vendoring project builds its program against pubrender::pubrender (log: $vd/build.log)" '[[ $? == 0 ]]'
  "$vd/build/vendored" >"$vd/out.html" 2>"$vd/err.txt"
  check "... which runs, exit 0" '[[ $? == 0 && ! -s $vd/err.txt ]]'
  check_generator_output "vendored" "$vd/out.html"
  done_
  ;;
*)
  echo "consumer_test.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
