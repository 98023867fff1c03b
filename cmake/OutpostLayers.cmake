# Layers the build enforces (docs/architecture.md).
#
# Every folder of server/ is one static library, and no target has server/ itself as an
# include directory. Instead each library publishes an include root of its own in the build
# tree that holds exactly what its users may include, as links into the sources:
#
#   build/include/outpost_db/db -> server/db        users write #include "db/database.h"
#   build/include/outpost_server/server.h -> server/server.h
#
# A target sees a layer's headers only when it links that library, and the layers link each
# other PRIVATE wherever their headers allow it. So an include across the rules (db/ reaching
# services/, app/ reaching db/) is "No such file or directory" at build time, not a review
# comment. tests/unit/tst_layering.cpp checks the same rules on the text of every #include
# (which also catches "../" escapes the compiler would follow).

set(OUTPOST_INCLUDE_ROOTS ${CMAKE_BINARY_DIR}/include)

# outpost_publish(TARGET FOLDER [FOLDER ...] [HEADERS file ...] [BASE dir])
# Publishes BASE/FOLDER (BASE: server/ by default) as "FOLDER/..." to TARGET and its users;
# with HEADERS, only those files of BASE (as "file").
function(outpost_publish target)
    cmake_parse_arguments(P "" "BASE" "HEADERS" ${ARGN})
    if(NOT P_BASE)
        set(P_BASE ${PROJECT_SOURCE_DIR}/server)
    endif()
    set(root ${OUTPOST_INCLUDE_ROOTS}/${target})
    file(MAKE_DIRECTORY ${root})
    foreach(entry IN LISTS P_UNPARSED_ARGUMENTS P_HEADERS)
        file(CREATE_LINK ${P_BASE}/${entry} ${root}/${entry} SYMBOLIC)
    endforeach()
    target_include_directories(${target} PUBLIC ${root})
endfunction()

# outpost_layer(NAME FOLDER SOURCES ... [PUBLIC libs...] [PRIVATE libs...])
# The library of one server/ folder, published as "FOLDER/...".
function(outpost_layer name folder)
    cmake_parse_arguments(L "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(${name} STATIC ${L_SOURCES})
    outpost_publish(${name} ${folder})
    target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE outpost_strict ${L_PRIVATE})
endfunction()
