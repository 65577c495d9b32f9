# cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
# Writes OUT defining `const char NAME[]` with IN's bytes and a final NUL.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* generated from ${IN} */\nconst char ${NAME}[] = {\n${bytes}0x00};\n")
