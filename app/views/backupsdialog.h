#pragma once

#include "client/apiclient.h"
#include "client/apierror.h"
#include "models/backup.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QString>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace Outpost::App {

// Admin ▸ Backups…: the backups in the server's file store (name, size, created), "Back up
// now" (starts one and polls its status until it is done or failed) and "Download…" (streamed
// into a file, committed only when complete). A server that cannot make backups (PostgreSQL)
// answers with advice, which is shown as it comes.
class BackupsDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit BackupsDialog(Client::ApiClient *client, QWidget *parent = nullptr);
    ~BackupsDialog() override;

    // Reloads the list.
    void refresh();
    // Starts a backup on the server and follows it.
    void startBackup();
    // Streams the backup `name` into `localPath` (replaced only when the download is whole).
    void download(const QString &name, const QString &localPath);

    const QList<Backup> &backups() const { return m_backups; }
    bool isBackingUp() const { return m_backingUp; }
    bool isDownloading() const { return !m_download.isNull(); }
    // What the status line says (success, progress, or the problem: heading, a line break
    // and the server's title and detail), as plain text.
    QString statusText() const { return m_message; }

    // How often the status of a running backup is asked for.
    static constexpr int kPollMs = 500;

Q_SIGNALS:
    void listLoaded();
    // A backup started by startBackup() is over; `message` is what the dialog shows.
    void backupFinished(bool ok, const QString &message);
    void downloadFinished(bool ok, const QString &message);

private:
    void poll();
    void showList(const QList<Backup> &backups);
    void showStatus(const QString &text);
    void showProblem(const QString &heading, const QString &detail);
    void updateButtons();
    QString selectedName() const;
    void chooseDownloadTarget();

    QPointer<Client::ApiClient> m_client;
    QList<Backup> m_backups;
    bool m_backingUp = false;
    QString m_job;     // the backup being made, once the server named it
    QString m_pending; // to select once listed
    QString m_message;
    QPointer<Client::ApiCall> m_download;
    QLabel *m_intro;
    QTableWidget *m_table;
    QLabel *m_status;
    QLabel *m_error;
    QProgressBar *m_progress;
    QPushButton *m_backUp;
    QPushButton *m_downloadButton;
    QPushButton *m_refresh;
};

} // namespace Outpost::App
