#pragma once

#include "view.h"

#include <QHash>
#include <QPointer>

class QAction;
class QFile;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace Outpost::Client {
class ApiCall;
struct ApiResponse;
} // namespace Outpost::Client

namespace Outpost::App {

// Files: a tree by directory over GET /v1/files, upload by button or drag-and-drop (files and
// folders) with a progress bar per file and overall and a cancel button, download with
// progress to a chosen place, a preview for text and images, delete, and the space used.
class FilesView final : public View
{
    Q_OBJECT

public:
    explicit FilesView(QWidget *parent = nullptr);

    void setClient(Client::ApiClient *client) override;
    void refresh() override;
    void handleEvent(const QString &type, qint64 id) override;
    void createNew() override;
    void deleteSelected() override;

    // Uploads local files (folders recursively) under `directory` ("" = the top).
    void upload(const QStringList &localPaths, const QString &directory);
    void download(const QString &remotePath, const QString &localPath);
    void cancelTransfers();

    QTreeWidget *tree() const { return m_tree; }
    QTreeWidget *transfers() const { return m_transfers; }
    QProgressBar *overallProgress() const { return m_overall; }
    QStringList listedPaths() const;

Q_SIGNALS:
    void transfersFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct Transfer
    {
        QString remotePath;
        qint64 size = 0;
        qint64 done = 0;
        QProgressBar *bar = nullptr;
        QPointer<Client::ApiCall> call;
        bool finished = false;
    };

    void loadPage(const QString &pageToken, quint64 generation);
    void addFile(const QJsonObject &file);
    QString selectedPath() const;
    QString currentDirectory() const;
    void preview(const QString &path, const QString &contentType, qint64 size);
    int addTransfer(const QString &label, const QString &remotePath, qint64 size);
    void updateOverall();
    void startNextUpload();
    void startChunkedUpload(QFile *file, const QString &remote, const QString &type, int index);
    void sendUploadPart(QFile *file, const QString &id, qint64 partSize, int part, int index);
    void finishUpload(int index, const Client::ApiResponse &response);

    QPointer<Client::ApiClient> m_client;
    QTreeWidget *m_tree;
    QTreeWidget *m_transfers;
    QProgressBar *m_overall;
    QPushButton *m_cancel;
    QLabel *m_usage;
    QStackedWidget *m_preview;
    QPlainTextEdit *m_textPreview;
    QLabel *m_imagePreview;
    QLabel *m_noPreview;
    QAction *m_upload;
    QAction *m_uploadFolder;
    QAction *m_download;
    QAction *m_delete;
    QAction *m_refresh;
    QList<Transfer> m_list;
    QList<std::pair<QString, QString>> m_queue; // local path, remote path
    int m_running = 0;
    qint64 m_usedBytes = 0;
    quint64 m_generation = 0;
    QHash<QString, QTreeWidgetItem *> m_dirs;
};

} // namespace Outpost::App
