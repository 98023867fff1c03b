#pragma once

// Signing the desktop app in to a real remote server through its connect dialog, as a user
// would: shared by the offscreen app suites.
#include "connection/connectdialog.h"
#include "connection/session.h"
#include "mainwindow.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

namespace Outpost::Test {

// Signs in with `password`, or with the sign-in the app saved when it is empty; true once the
// session and its user (and with it whether they are an admin) are there.
inline bool connectRemote(
    App::MainWindow &window, const QUrl &url, const QString &email, const QString &password = {})
{
    QSignalSpy started(&window, &App::MainWindow::sessionStarted);
    App::ConnectDialog *dialog = window.showConnectDialog();
    dialog->setRemote(url, email, password);
    dialog->connectRemote();
    if (!started.wait(15'000) && started.isEmpty())
        return false;
    // The user comes after the session.
    QDeadlineTimer deadline(10'000);
    while (!window.session()->user() && !deadline.hasExpired())
        QTest::qWait(20);
    return window.session()->user().has_value();
}

} // namespace Outpost::Test
