#pragma once

#include <QPalette>
#include <QString>

namespace Outpost::App {

// Settings ▸ Theme: follow the system, light or dark, applied to the whole application. Dark
// (and light, so that a dark desktop does not leak in) use the Fusion style, which paints
// everything from the palette.
class Appearance
{
public:
    enum class Theme { System, Light, Dark };

    // From QSettings ("theme": "system", "light" or "dark").
    static Theme theme();
    static void setTheme(Theme theme);
    static QString key(Theme theme);

    // Applies a theme now (QApplication's style and palette).
    static void apply(Theme theme);
    static QPalette darkPalette();
    // Whether a palette is a dark one (its window darker than its text).
    static bool isDark(const QPalette &palette);
};

} // namespace Outpost::App
