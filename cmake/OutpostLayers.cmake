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
        outpost_link(${P_BASE}/${entry} ${root}/${entry})
    endforeach()
    target_include_directories(${target} PUBLIC ${root})
endfunction()

# outpost_link(ORIGINAL LINK): LINK as a symbolic link to ORIGINAL. Windows makes symbolic
# links only in Developer Mode or for administrators; there a folder falls back to a directory
# junction and a file to a copy (made again at every configure).
function(outpost_link original link)
    if(NOT WIN32)
        file(CREATE_LINK ${original} ${link} SYMBOLIC)
        return()
    endif()
    file(CREATE_LINK ${original} ${link} SYMBOLIC RESULT failed)
    if(NOT failed)
        return()
    endif()
    if(IS_DIRECTORY ${original})
        file(REMOVE_RECURSE ${link})
        file(TO_NATIVE_PATH ${original} native_original)
        file(TO_NATIVE_PATH ${link} native_link)
        execute_process(COMMAND cmd /c mklink /J ${native_link} ${native_original}
            RESULT_VARIABLE failed OUTPUT_QUIET)
        if(failed)
            message(FATAL_ERROR "cannot link ${link} to ${original}")
        endif()
    else()
        file(COPY_FILE ${original} ${link})
    endif()
endfunction()

# outpost_layer(NAME FOLDER SOURCES ... [PUBLIC libs...] [PRIVATE libs...])
# The library of one server/ folder, published as "FOLDER/...".
function(outpost_layer name folder)
    cmake_parse_arguments(L "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(${name} STATIC ${L_SOURCES})
    outpost_publish(${name} ${folder})
    target_link_libraries(${name} PUBLIC ${L_PUBLIC} PRIVATE outpost_strict ${L_PRIVATE})
endfunction()
