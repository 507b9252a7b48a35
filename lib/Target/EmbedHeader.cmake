file(READ ${IN} content)
file(WRITE ${OUT} "static const char kRuntimeHeader[] = R\"KILNRT(${content})KILNRT\";\n")
