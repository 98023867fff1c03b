# One Qt-strictness interface target that every Outpost target links PRIVATE.
add_library(outpost_strict INTERFACE)
target_compile_features(outpost_strict INTERFACE cxx_std_20)
target_compile_definitions(outpost_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_KEYWORDS
    QT_MESSAGELOGCONTEXT)
if(MSVC)
    # MSVC's counterparts; windows.h without its min/max macros and rarely used parts.
    target_compile_options(outpost_strict INTERFACE /W4 /utf-8)
    target_compile_definitions(outpost_strict INTERFACE NOMINMAX WIN32_LEAN_AND_MEAN)
    if(OUTPOST_WERROR)
        target_compile_options(outpost_strict INTERFACE /WX)
    endif()
else()
    target_compile_options(outpost_strict INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
    if(OUTPOST_WERROR)
        target_compile_options(outpost_strict INTERFACE -Werror)
    endif()
endif()
