# Install rules, in two components:
#   server   outpost-server and outpostctl, their man pages, outpostctl's shell completions
#   desktop  outpost, its translations, desktop entry, AppStream metadata, hicolor icons and
#            man page
# The systemd unit, sysusers.d and tmpfiles.d entries and /etc/outpost/outpost.env are not
# installed here: where they go differs per distribution, so each package format installs them
# from packaging/systemd/ (packaging/debian, packaging/rpm).
#
# Generated files are built where they will be installed, relative to the build tree
# (build/share/...), so the build tree has the layout of an installed prefix.

# The release date shown in the AppStream metadata and the man pages: SOURCE_DATE_EPOCH when
# set (the package build sets it to the commit's time), otherwise today.
string(TIMESTAMP OUTPOST_RELEASE_DATE "%Y-%m-%d" UTC)

# Windows and macOS install only the programs (and the app's translations), the way their
# installers lay them out: cmake/OutpostDesktopPackaging.cmake. Everything else here is for
# Linux and other Unix systems.
set(OUTPOST_FREEDESKTOP OFF)
if(UNIX AND NOT APPLE)
    set(OUTPOST_FREEDESKTOP ON)
endif()

if(APPLE AND OUTPOST_BUILD_GUI)
    # Beside the app in its bundle, so the disk image holds one thing to drag.
    set_target_properties(outpost-server PROPERTIES INSTALL_RPATH "@executable_path/../Frameworks")
    install(TARGETS outpost-server RUNTIME DESTINATION outpost.app/Contents/MacOS COMPONENT server)
else()
    install(TARGETS outpost-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
endif()

set(OUTPOST_MAN_DIR ${CMAKE_BINARY_DIR}/share/man/man1)
configure_file(${PROJECT_SOURCE_DIR}/packaging/man/outpost-server.1.in
    ${OUTPOST_MAN_DIR}/outpost-server.1 @ONLY)
if(OUTPOST_FREEDESKTOP)
    install(FILES ${OUTPOST_MAN_DIR}/outpost-server.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT server)
endif()

# outpostctl, the command line for remote servers (ctl/), ships with the server: beside it,
# with its man page and the bash, zsh and fish completions it prints (made at build time).
# zsh's goes where Debian's zsh looks for packaged completions (vendor-completions); the RPM
# moves it to Fedora's site-functions.
if(APPLE AND OUTPOST_BUILD_GUI)
    install(TARGETS outpostctl RUNTIME DESTINATION outpost.app/Contents/MacOS COMPONENT server)
else()
    install(TARGETS outpostctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
endif()
configure_file(${PROJECT_SOURCE_DIR}/packaging/man/outpostctl.1.in
    ${OUTPOST_MAN_DIR}/outpostctl.1 @ONLY)
# The completion scripts are made by running outpostctl, which only the Unix builds can do
# without deploying Qt next to it first.
if(OUTPOST_FREEDESKTOP)
    set(OUTPOSTCTL_BASH_COMPLETION
        ${CMAKE_BINARY_DIR}/share/bash-completion/completions/outpostctl)
    set(OUTPOSTCTL_FISH_COMPLETION
        ${CMAKE_BINARY_DIR}/share/fish/vendor_completions.d/outpostctl.fish)
    set(OUTPOSTCTL_ZSH_COMPLETION ${CMAKE_BINARY_DIR}/share/zsh/vendor-completions/_outpostctl)
    add_custom_command(
        OUTPUT ${OUTPOSTCTL_BASH_COMPLETION} ${OUTPOSTCTL_FISH_COMPLETION}
            ${OUTPOSTCTL_ZSH_COMPLETION}
        COMMAND ${CMAKE_COMMAND} -E make_directory
            ${CMAKE_BINARY_DIR}/share/bash-completion/completions
            ${CMAKE_BINARY_DIR}/share/fish/vendor_completions.d
            ${CMAKE_BINARY_DIR}/share/zsh/vendor-completions
        COMMAND outpostctl completion bash > ${OUTPOSTCTL_BASH_COMPLETION}
        COMMAND outpostctl completion fish > ${OUTPOSTCTL_FISH_COMPLETION}
        COMMAND outpostctl completion zsh > ${OUTPOSTCTL_ZSH_COMPLETION}
        DEPENDS outpostctl
        COMMENT "Writing outpostctl's shell completions")
    add_custom_target(outpostctl_completions ALL
        DEPENDS ${OUTPOSTCTL_BASH_COMPLETION} ${OUTPOSTCTL_FISH_COMPLETION}
            ${OUTPOSTCTL_ZSH_COMPLETION})
    install(FILES ${OUTPOST_MAN_DIR}/outpostctl.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT server)
    install(FILES ${OUTPOSTCTL_BASH_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT server)
    install(FILES ${OUTPOSTCTL_FISH_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT server)
    install(FILES ${OUTPOSTCTL_ZSH_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT server)
endif()

# Everything the packages hold, and nothing else (packaging/debian/rules builds this target).
add_custom_target(outpost_packaged)
add_dependencies(outpost_packaged outpost-server outpostctl)
if(OUTPOST_FREEDESKTOP)
    add_dependencies(outpost_packaged outpostctl_completions)
endif()

if(OUTPOST_BUILD_GUI)
    install(TARGETS outpost RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        BUNDLE DESTINATION . COMPONENT desktop)
    if(NOT APPLE) # macOS: built into the bundle (app/CMakeLists.txt)
        install(FILES ${OUTPOST_QM_FILES}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/outpost/translations COMPONENT desktop)
    endif()

    configure_file(${PROJECT_SOURCE_DIR}/packaging/man/outpost.1.in
        ${OUTPOST_MAN_DIR}/outpost.1 @ONLY)
    if(OUTPOST_FREEDESKTOP)
        install(FILES ${OUTPOST_MAN_DIR}/outpost.1
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT desktop)

        install(FILES ${PROJECT_SOURCE_DIR}/packaging/desktop/org.outpost.outpost.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT desktop)
    endif()
    set(OUTPOST_METAINFO ${CMAKE_BINARY_DIR}/share/metainfo/org.outpost.outpost.metainfo.xml)
    configure_file(${PROJECT_SOURCE_DIR}/packaging/desktop/org.outpost.outpost.metainfo.xml.in
        ${OUTPOST_METAINFO} @ONLY)
    if(OUTPOST_FREEDESKTOP)
        install(FILES ${OUTPOST_METAINFO}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT desktop)
    endif()

    # The icon: the SVG as it is, and PNGs rendered from it at build time.
    set(OUTPOST_ICON_SVG ${PROJECT_SOURCE_DIR}/app/resources/icons/outpost.svg)
    set(OUTPOST_ICON_DIR ${CMAKE_BINARY_DIR}/share/icons/hicolor)
    set(OUTPOST_ICON_SIZES 16 22 24 32 48 64 128 256 512)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Gui Svg)
    add_executable(outpost-svgtopng ${PROJECT_SOURCE_DIR}/packaging/icons/svgtopng.cpp)
    target_link_libraries(outpost-svgtopng PRIVATE Qt6::Gui Qt6::Svg outpost_strict)
    set_target_properties(outpost-svgtopng PROPERTIES
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/packaging)
    set(OUTPOST_ICON_PNGS "")
    foreach(size IN LISTS OUTPOST_ICON_SIZES)
        list(APPEND OUTPOST_ICON_PNGS
            ${OUTPOST_ICON_DIR}/${size}x${size}/apps/org.outpost.outpost.png)
    endforeach()
    add_custom_command(OUTPUT ${OUTPOST_ICON_PNGS}
        COMMAND outpost-svgtopng ${OUTPOST_ICON_SVG} ${OUTPOST_ICON_DIR}
            org.outpost.outpost.png ${OUTPOST_ICON_SIZES}
        DEPENDS outpost-svgtopng ${OUTPOST_ICON_SVG}
        COMMENT "Rendering the app icon as PNG"
        VERBATIM)
    add_custom_target(outpost_icon_pngs ALL DEPENDS ${OUTPOST_ICON_PNGS})
    if(OUTPOST_FREEDESKTOP)
        install(FILES ${OUTPOST_ICON_SVG}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
            RENAME org.outpost.outpost.svg COMPONENT desktop)
        foreach(size IN LISTS OUTPOST_ICON_SIZES)
            install(FILES ${OUTPOST_ICON_DIR}/${size}x${size}/apps/org.outpost.outpost.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
                COMPONENT desktop)
        endforeach()
    endif()

    add_dependencies(outpost_packaged outpost outpost_icon_pngs)
endif()
