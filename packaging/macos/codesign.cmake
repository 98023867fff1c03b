# Run by cpack (CPACK_PRE_BUILD_SCRIPTS, cmake/OutpostDesktopPackaging.cmake) once the bundle is
# staged and macdeployqt has rewritten it, before the disk image is made: signs the bundle when
# OUTPOST_CODESIGN_IDENTITY is set (the installers workflow sets it when asked to sign).
if("$ENV{OUTPOST_CODESIGN_IDENTITY}" STREQUAL "")
    message(STATUS "outpost.app left unsigned (no OUTPOST_CODESIGN_IDENTITY)")
    return()
endif()
file(GLOB_RECURSE bundles LIST_DIRECTORIES true "${CPACK_TEMPORARY_DIRECTORY}/*outpost.app")
list(FILTER bundles INCLUDE REGEX "/outpost\\.app$")
if(NOT bundles)
    message(FATAL_ERROR "no outpost.app under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(bundle IN LISTS bundles)
    execute_process(COMMAND sh "${CPACK_OUTPOST_SOURCE_DIR}/packaging/macos/codesign.sh" "${bundle}"
        RESULT_VARIABLE failed)
    if(failed)
        message(FATAL_ERROR "signing ${bundle} failed")
    endif()
endforeach()
