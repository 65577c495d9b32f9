# gen_seeds.cmake - large hostile seeds, written at configure time into the
# build tree (too big to keep in tests/fuzz/corpus; section 14 of the
# btparse notes). Replayed by ctest with the corpus; `make fuzz` does not
# feed them to libFuzzer (they exceed -max_len).
#
# pr_fuzz_generate_seeds(TARGET DIR OUTVAR): writes TARGET's seeds into DIR
# and sets OUTVAR to TRUE, or to FALSE when TARGET has none.

function(pr_fuzz_write dir file content)
  set(path ${dir}/${file})
  if(EXISTS ${path})
    file(READ ${path} old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE ${path} "${content}")
endfunction()

# The .bib documents; PREFIX goes in front of each (render's option byte).
function(pr_fuzz_bib_seeds dir prefix)
  string(REPEAT "{" 100000 open)
  string(REPEAT "}" 100000 close)
  pr_fuzz_write(${dir} deep_braces_100k.bib
    "${prefix}@article{deep,\n  title = {${open}x${close}},\n  year = 2024\n}\n")
  pr_fuzz_write(${dir} unclosed_braces_100k.bib
    "${prefix}@article{open,\n  title = {${open}")
  string(REPEAT "}" 1000 extra)
  pr_fuzz_write(${dir} extra_closing_1k.bib
    "${prefix}@article{a, title = {x}}${extra}\n@article{b, title = {y}}\n")
  string(REPEAT "@" 100000 ats)
  pr_fuzz_write(${dir} at_100k.bib "${prefix}${ats}")
  string(REPEAT "\"a\" # " 20000 cat)
  pr_fuzz_write(${dir} concat_20k.bib "${prefix}@article{h,\n  title = ${cat}\"a\",\n  year = 2024\n}\n")
  set(strings "")
  foreach(i RANGE 1 3000)
    string(APPEND strings "@string{macro${i} = {Value ${i}}}\n")
  endforeach()
  pr_fuzz_write(${dir} strings_3000.bib
    "${prefix}${strings}@article{s,\n  title = macro1 # macro3000,\n  year = 2024\n}\n")
  string(REPEAT "@misc{k,}\n" 20000 empties)
  pr_fuzz_write(${dir} empty_entries_20k.bib "${prefix}${empties}")
  string(REPEAT "{" 10000 nopen)
  string(REPEAT "}" 10000 nclose)
  pr_fuzz_write(${dir} deep_author_10k.bib
    "${prefix}@article{n,\n  author = {${nopen}Smith${nclose}, John and Doe, Jane},\n  title = {T},\n  year = 2024\n}\n")
  string(REPEAT "A. Author and " 3000 many)
  pr_fuzz_write(${dir} authors_3000.bib
    "${prefix}@article{m,\n  author = {${many}others},\n  title = {T},\n  year = 2024\n}\n")
endfunction()

function(pr_fuzz_generate_seeds target dir outvar)
  if(target STREQUAL "parse")
    file(MAKE_DIRECTORY ${dir})
    pr_fuzz_bib_seeds(${dir} "")
  elseif(target STREQUAL "render")
    file(MAKE_DIRECTORY ${dir})
    # option byte 0x1f: every option of fuzz_render.c on
    string(ASCII 31 all_options)
    pr_fuzz_bib_seeds(${dir} "${all_options}")
  elseif(target STREQUAL "names")
    file(MAKE_DIRECTORY ${dir})
    string(REPEAT "{" 10000 open)
    string(REPEAT "}" 10000 close)
    pr_fuzz_write(${dir} deep_braces_10k.txt "${open}Smith${close}, John and Doe, Jane")
    string(REPEAT "A. Author and " 3000 many)
    pr_fuzz_write(${dir} names_3000.txt "${many}others")
    string(REPEAT "," 10000 commas)
    pr_fuzz_write(${dir} commas_10k.txt "Smith${commas}John")
    string(REPEAT "von " 5000 vons)
    pr_fuzz_write(${dir} von_5000.txt "Jean ${vons}Last")
  elseif(target STREQUAL "latex")
    file(MAKE_DIRECTORY ${dir})
    string(REPEAT "{" 100000 open)
    string(REPEAT "}" 100000 close)
    pr_fuzz_write(${dir} deep_braces_100k.tex "${open}x${close}")
    string(REPEAT "\\emph{" 10000 emph)
    pr_fuzz_write(${dir} emph_10k.tex "${emph}x${close}")
    string(REPEAT "\\'" 20000 acc)
    pr_fuzz_write(${dir} accents_20k.tex "${acc}e")
    string(REPEAT "$x$ " 20000 math)
    pr_fuzz_write(${dir} math_20k.tex "${math}")
  else()
    set(${outvar} FALSE PARENT_SCOPE)
    return()
  endif()
  set(${outvar} TRUE PARENT_SCOPE)
endfunction()
