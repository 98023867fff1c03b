# Windows and macOS: the desktop app the way each system expects it, Qt deployed beside it, and
# an installer made by `cpack` from the install rules (cmake/OutpostInstall.cmake):
#   Windows  outpost.exe as a GUI program with an icon and a version resource (outpost-server.exe
#            gets the version resource too); Qt through windeployqt; an NSIS installer with a
#            Start menu entry and an uninstaller
#   macOS    outpost.app (Info.plist with the project version, the icon, outpost-server inside
#            Contents/MacOS); Qt through macdeployqt; a drag-and-drop disk image
# Both deployments run at install time (qt_generate_deploy_app_script), so `cmake --install` and
# `cpack` see the finished tree. Signing happens in .github/workflows/installers.yml.
# Nothing here runs on Linux, nor has it run on this project's Linux machines: the installers
# workflow is where it is built.
if(NOT OUTPOST_BUILD_GUI OR NOT (WIN32 OR APPLE))
    return()
endif()

set(OUTPOST_PACKAGING_DIR ${CMAKE_BINARY_DIR}/packaging)
set(OUTPOST_ICON_NAME org.outpost.outpost.png)

if(WIN32)
    # The icon: the PNGs rendered for Linux (OutpostInstall.cmake) packed into one .ico.
    add_executable(outpost-icopack ${PROJECT_SOURCE_DIR}/packaging/icons/icopack.cpp)
    target_link_libraries(outpost-icopack PRIVATE Qt6::Gui outpost_strict)
    set_target_properties(outpost-icopack PROPERTIES
        RUNTIME_OUTPUT_DIRECTORY ${OUTPOST_PACKAGING_DIR})
    set(OUTPOST_ICO ${OUTPOST_PACKAGING_DIR}/outpost.ico)
    set(ico_pngs "")
    foreach(size 16 24 32 48 64 128 256)
        list(APPEND ico_pngs ${OUTPOST_ICON_DIR}/${size}x${size}/apps/${OUTPOST_ICON_NAME})
    endforeach()
    add_custom_command(OUTPUT ${OUTPOST_ICO}
        COMMAND outpost-icopack ${OUTPOST_ICO} ${ico_pngs}
        DEPENDS outpost-icopack outpost_icon_pngs ${ico_pngs}
        COMMENT "Packing the app icon as .ico"
        VERBATIM)
    add_custom_target(outpost_icon_ico ALL DEPENDS ${OUTPOST_ICO})

    # A version resource for both programs, the icon for the app.
    foreach(program outpost outpost-server)
        set(OUTPOST_RC_NAME ${program})
        if(program STREQUAL "outpost")
            set(OUTPOST_RC_DESCRIPTION "Outpost admin console")
            set(OUTPOST_RC_ICON "IDI_ICON1 ICON \"${OUTPOST_ICO}\"")
        else()
            set(OUTPOST_RC_DESCRIPTION "Outpost server")
            set(OUTPOST_RC_ICON "")
        endif()
        configure_file(${PROJECT_SOURCE_DIR}/packaging/windows/version.rc.in
            ${OUTPOST_PACKAGING_DIR}/${program}.rc @ONLY)
        target_sources(${program} PRIVATE ${OUTPOST_PACKAGING_DIR}/${program}.rc)
    endforeach()
    set_source_files_properties(${OUTPOST_PACKAGING_DIR}/outpost.rc
        TARGET_DIRECTORY outpost PROPERTIES OBJECT_DEPENDS ${OUTPOST_ICO})
    add_dependencies(outpost outpost_icon_ico)
    set_target_properties(outpost PROPERTIES WIN32_EXECUTABLE ON)
else()
    # The icon: an .icns made by macOS's iconutil from the same renderer's PNGs.
    set(iconset ${OUTPOST_PACKAGING_DIR}/outpost.iconset)
    set(rendered ${OUTPOST_PACKAGING_DIR}/icns-png)
    set(OUTPOST_ICNS ${OUTPOST_PACKAGING_DIR}/outpost.icns)
    set(copies "")
    foreach(entry 16:16x16 32:16x16@2x 32:32x32 64:32x32@2x 128:128x128 256:128x128@2x
            256:256x256 512:256x256@2x 512:512x512 1024:512x512@2x)
        string(REPLACE ":" ";" entry ${entry})
        list(GET entry 0 pixels)
        list(GET entry 1 name)
        list(APPEND copies COMMAND ${CMAKE_COMMAND} -E copy
            ${rendered}/${pixels}x${pixels}/apps/${OUTPOST_ICON_NAME} ${iconset}/icon_${name}.png)
    endforeach()
    add_custom_command(OUTPUT ${OUTPOST_ICNS}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset}
        COMMAND outpost-svgtopng ${OUTPOST_ICON_SVG} ${rendered} ${OUTPOST_ICON_NAME}
            16 32 64 128 256 512 1024
        ${copies}
        COMMAND iconutil --convert icns --output ${OUTPOST_ICNS} ${iconset}
        DEPENDS outpost-svgtopng ${OUTPOST_ICON_SVG}
        COMMENT "Making the app icon as .icns"
        VERBATIM)
    add_custom_target(outpost_icon_icns ALL DEPENDS ${OUTPOST_ICNS})
    target_sources(outpost PRIVATE ${OUTPOST_ICNS})
    set_source_files_properties(${OUTPOST_ICNS} TARGET_DIRECTORY outpost PROPERTIES
        MACOSX_PACKAGE_LOCATION Resources GENERATED TRUE)
    add_dependencies(outpost outpost_icon_icns)
    set_target_properties(outpost PROPERTIES
        MACOSX_BUNDLE ON
        MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/packaging/macos/Info.plist.in
        MACOSX_BUNDLE_BUNDLE_NAME Outpost
        MACOSX_BUNDLE_GUI_IDENTIFIER org.outpost.outpost
        MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
        MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
        MACOSX_BUNDLE_ICON_FILE outpost.icns
        MACOSX_BUNDLE_COPYRIGHT "Outpost")
endif()

# windeployqt / macdeployqt at install time, for the app; outpost-server sits beside it (in the
# same bin folder, or in the bundle) and needs no Qt library the app does not.
qt_generate_deploy_app_script(TARGET outpost
    OUTPUT_SCRIPT OUTPOST_DEPLOY_SCRIPT
    NO_UNSUPPORTED_PLATFORM_ERROR)
install(SCRIPT ${OUTPOST_DEPLOY_SCRIPT} COMPONENT desktop)
if(WIN32)
    # windeployqt copies Qt's own libraries only (macdeployqt copies every library).
    install(IMPORTED_RUNTIME_ARTIFACTS Qt6Keychain::Qt6Keychain
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT desktop)
endif()

set(CPACK_PACKAGE_NAME Outpost)
set(CPACK_PACKAGE_VENDOR Outpost)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY Outpost)
set(CPACK_PACKAGE_EXECUTABLES outpost Outpost) # the Start menu entry
set(CPACK_STRIP_FILES OFF)
# One installer with everything: outpost-server needs the Qt the app's deployment brings.
set(CPACK_MONOLITHIC_INSTALL ON)
if(WIN32)
    set(CPACK_GENERATOR NSIS)
    set(CPACK_PACKAGE_FILE_NAME Outpost-${PROJECT_VERSION}-windows-x64)
    set(CPACK_NSIS_PACKAGE_NAME Outpost)
    set(CPACK_NSIS_DISPLAY_NAME "Outpost ${PROJECT_VERSION}")
    set(CPACK_NSIS_MUI_ICON ${OUTPOST_ICO})
    set(CPACK_NSIS_MUI_UNIICON ${OUTPOST_ICO})
    set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\outpost.exe)
    set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
    set(CPACK_NSIS_MUI_FINISHPAGE_RUN outpost.exe)
    set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
    set(CPACK_NSIS_MANIFEST_DPI_AWARE ON)
    set(CPACK_NSIS_MODIFY_PATH OFF)
    set(CPACK_NSIS_UNINSTALL_NAME Uninstall)
else()
    set(CPACK_GENERATOR DragNDrop)
    set(CPACK_PACKAGE_FILE_NAME Outpost-${PROJECT_VERSION}-macos)
    set(CPACK_DMG_VOLUME_NAME "Outpost ${PROJECT_VERSION}")
    set(CPACK_DMG_FORMAT UDZO)
    # Signs the staged bundle before the image is made, when the workflow asks for it
    # (OUTPOST_CODESIGN_IDENTITY in the environment); macdeployqt has rewritten it by then.
    set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/packaging/macos/codesign.cmake)
    set(CPACK_OUTPOST_SOURCE_DIR ${PROJECT_SOURCE_DIR})
endif()
include(CPack)
