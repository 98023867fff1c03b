#pragma once

// The main window on its own embedded server, signed in as that server's admin: shared by the
// offscreen app suites that need no remote server.
#include "connection/session.h"
#include "mainwindow.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QTest>

namespace Outpost::Test {

// Shows `window` at 1280×800 and starts its embedded server on `dataDir` (bcrypt cost 4, plus
// `settings` as OUTPOST_* names without the prefix); true once the admin's session is there.
inline bool startEmbeddedWindow(App::MainWindow &window, const QString &dataDir,
    const QList<QPair<QString, QString>> &settings = {})
{
    window.setEmbeddedDataDir(dataDir);
    window.setEmbeddedBcryptCost(4);
    for (const auto &[name, value] : settings)
        window.setEmbeddedSetting(name, value);
    window.resize(1280, 800);
    window.show();
    window.startEmbedded();
    return QTest::qWaitFor(
        [&window] { return window.session() && window.session()->isAdmin(); }, 30'000);
}

} // namespace Outpost::Test
