#pragma once

#include "view.h"

#include <QHash>
#include <QPointer>

class QAction;
class QLabel;
class QMimeData;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace Outpost {
struct FileInfo;
}

namespace Outpost::App {

class FilePreview;
class TransferQueue;

// Files: a tree by directory over GET /v1/files, upload by button or drag-and-drop of files and
// folders (onto a folder of the tree: they go there, folders keeping their structure), download
// to a chosen place, a preview (FilePreview), delete, and the space used. Below, the transfers
// panel: each upload and download with its progress, speed and state, cancel and retry (a retry
// resumes), and the overall progress. The transfers themselves are a TransferQueue's.
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
    // The directory a drop at `pos` (viewport coordinates of the tree) uploads into.
    QString directoryAt(const QPoint &pos) const;
    // The transfers panel's buttons act on the selected rows (row = TransferQueue index).
    void selectTransfer(int index);
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *clearButton() const { return m_clear; }
    QWidget *transfersPanel() const { return m_panel; }

    QTreeWidget *tree() const { return m_tree; }
    QTreeWidget *transfers() const { return m_transfers; }
    QProgressBar *overallProgress() const { return m_overall; }
    TransferQueue *transferQueue() const { return m_queue; }
    QStringList listedPaths() const;
    FilePreview *preview() const { return m_preview; }
    void selectPath(const QString &path);

Q_SIGNALS:
    void transfersFinished();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void loadPage(const QString &pageToken, quint64 generation);
    void addFile(const FileInfo &file);
    QString selectedPath() const;
    QString currentDirectory() const;
    void showTransfer(int index);
    void updateTransfer(int index);
    void updateOverall();
    void updateButtons();
    void rebuildTransfers();
    QList<int> selectedTransfers() const;
    bool dropFiles(const QMimeData *mime, const QString &directory);

    QPointer<Client::ApiClient> m_client;
    QTreeWidget *m_tree;
    QTreeWidget *m_transfers;
    QProgressBar *m_overall;
    QWidget *m_panel;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_cancelAll;
    QPushButton *m_clear;
    QLabel *m_usage;
    FilePreview *m_preview;
    QAction *m_upload;
    QAction *m_uploadFolder;
    QAction *m_download;
    QAction *m_delete;
    QAction *m_refresh;
    TransferQueue *m_queue;
    QList<QProgressBar *> m_bars; // one per transfer of m_queue
    qint64 m_usedBytes = 0;
    quint64 m_generation = 0;
    QHash<QString, QTreeWidgetItem *> m_dirs;
};

} // namespace Outpost::App
