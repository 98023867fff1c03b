#include "filesview.h"

#include "client/apiclient.h"
#include "filepreview.h"
#include "models/modelformat.h"
#include "models/transferqueue.h"
#include "viewsupport.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Outpost::App {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kTypeRole = Qt::UserRole + 2;
constexpr int kSizeRole = Qt::UserRole + 3;
constexpr int kDirectoryRole = Qt::UserRole + 11;
constexpr int kTransferRole = Qt::UserRole + 21;

enum TransferColumn { TransferName, TransferProgress, TransferSpeed, TransferStatus };

} // namespace

FilesView::FilesView(QWidget *parent)
    : View(parent)
    , m_tree(new QTreeWidget(this))
    , m_transfers(new QTreeWidget(this))
    , m_overall(new QProgressBar(this))
    , m_panel(new QGroupBox(tr("Transfers"), this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_retry(new QPushButton(tr("Re&try"), this))
    , m_cancelAll(new QPushButton(tr("Cancel &all"), this))
    , m_clear(new QPushButton(tr("C&lear finished"), this))
    , m_usage(new QLabel(this))
    , m_preview(new FilePreview(this))
    , m_upload(new QAction(QIcon(QStringLiteral(":/icons/upload.svg")), tr("&Upload files…"), this))
    , m_uploadFolder(new QAction(tr("Upload &folder…"), this))
    , m_download(new QAction(QIcon(QStringLiteral(":/icons/download.svg")), tr("&Download…"), this))
    , m_delete(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"), this))
    , m_refresh(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
    , m_queue(new TransferQueue(this))
{
    setObjectName(QStringLiteral("filesView"));
    setAcceptDrops(true);
    m_tree->setObjectName(QStringLiteral("filesTree"));
    m_tree->setAccessibleName(tr("Files"));
    m_tree->setHeaderLabels({tr("Name"), tr("Size"), tr("Type"), tr("Modified")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    // Drops on the tree are handled here (eventFilter): onto a folder, into it.
    m_tree->viewport()->setAcceptDrops(true);
    m_tree->viewport()->installEventFilter(this);
    m_tree->addActions({m_upload, m_uploadFolder, m_download, m_delete});
    rememberColumns(m_tree->header(), QStringLiteral("files"));
    m_transfers->setObjectName(QStringLiteral("transfers"));
    m_transfers->setAccessibleName(tr("Transfers"));
    m_transfers->setHeaderLabels({tr("Transfer"), tr("Progress"), tr("Speed"), tr("State")});
    m_transfers->header()->setSectionResizeMode(TransferName, QHeaderView::Stretch);
    m_transfers->header()->setSectionResizeMode(TransferProgress, QHeaderView::Fixed);
    m_transfers->header()->resizeSection(TransferProgress, 160);
    m_transfers->header()->setSectionResizeMode(TransferSpeed, QHeaderView::ResizeToContents);
    m_transfers->header()->setSectionResizeMode(TransferStatus, QHeaderView::Interactive);
    m_transfers->header()->resizeSection(TransferStatus, 220);
    m_transfers->setRootIsDecorated(false);
    m_transfers->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_transfers->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_panel->setObjectName(QStringLiteral("transfersPanel"));
    m_panel->hide();
    m_cancel->setObjectName(QStringLiteral("cancelTransfer"));
    m_cancel->setToolTip(tr("Stop the selected transfers; a retry continues where they stopped"));
    m_retry->setObjectName(QStringLiteral("retryTransfer"));
    m_retry->setToolTip(tr("Start the selected failed or cancelled transfers again"));
    m_cancelAll->setObjectName(QStringLiteral("cancelTransfers"));
    m_clear->setObjectName(QStringLiteral("clearTransfers"));
    m_clear->setToolTip(tr("Remove the finished transfers from the list"));
    auto *cancelAction = new QAction(tr("&Cancel"), m_transfers);
    auto *retryAction = new QAction(tr("Re&try"), m_transfers);
    m_transfers->addActions({cancelAction, retryAction});
    connect(cancelAction, &QAction::triggered, m_cancel, &QPushButton::click);
    connect(retryAction, &QAction::triggered, m_retry, &QPushButton::click);
    m_usage->setObjectName(QStringLiteral("usage"));

    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addActions({m_upload, m_uploadFolder, m_download, m_delete});
    toolbar->addSeparator();
    toolbar->addAction(m_refresh);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addWidget(m_usage);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_preview);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_overall, 1);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_cancelAll);
    buttons->addWidget(m_clear);
    auto *panelLayout = new QVBoxLayout(m_panel);
    panelLayout->addWidget(m_transfers, 1);
    panelLayout->addLayout(buttons);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("filesSplitter"));
    vertical->setChildrenCollapsible(false);
    vertical->addWidget(splitter);
    vertical->addWidget(m_panel);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(vertical, 1);

    connect(m_upload, &QAction::triggered, this, &FilesView::createNew);
    connect(m_uploadFolder, &QAction::triggered, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Upload a folder"));
        if (!folder.isEmpty())
            upload({folder}, currentDirectory());
    });
    connect(m_download, &QAction::triggered, this, [this] {
        const QString path = selectedPath();
        if (path.isEmpty())
            return;
        const QString target =
            QFileDialog::getSaveFileName(this, tr("Download to"), QFileInfo(path).fileName());
        if (!target.isEmpty())
            download(path, target);
    });
    connect(m_delete, &QAction::triggered, this, &FilesView::deleteSelected);
    connect(m_refresh, &QAction::triggered, this, &FilesView::refresh);
    connect(m_cancelAll, &QPushButton::clicked, this, &FilesView::cancelTransfers);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        for (const int index : selectedTransfers())
            m_queue->cancel(index);
    });
    connect(m_retry, &QPushButton::clicked, this, [this] {
        for (const int index : selectedTransfers())
            m_queue->retry(index);
    });
    connect(m_clear, &QPushButton::clicked, m_queue, &TransferQueue::clearFinished);
    connect(m_transfers, &QTreeWidget::itemSelectionChanged, this, &FilesView::updateButtons);
    connect(m_queue, &TransferQueue::transferAdded, this, &FilesView::showTransfer);
    connect(m_queue, &TransferQueue::progressed, this, &FilesView::updateTransfer);
    connect(m_queue, &TransferQueue::transferRestarted, this, &FilesView::updateTransfer);
    connect(m_queue, &TransferQueue::cleared, this, &FilesView::rebuildTransfers);
    connect(m_queue, &TransferQueue::transferFinished, this, [this](int index) {
        updateTransfer(index);
        // New uploads show in the tree once the last running one is done.
        if (m_queue->transfers().at(index).direction == TransferQueue::Direction::Upload
            && m_queue->runningCount() == 0)
            refresh();
    });
    connect(m_queue, &TransferQueue::idle, this, [this] {
        updateButtons();
        Q_EMIT transfersFinished();
    });
    connect(m_queue, &TransferQueue::errorOccurred, this, &View::errorOccurred);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item || item->data(0, kPathRole).toString().isEmpty()) {
            m_preview->showMessage(tr("No preview"));
            return;
        }
        m_preview->showFile(item->data(0, kPathRole).toString(),
            item->data(0, kTypeRole).toString(), item->data(0, kSizeRole).toLongLong());
    });
}

void FilesView::setClient(Client::ApiClient *client)
{
    m_queue->setClient(client);
    m_preview->setClient(client);
    m_client = client;
    refresh();
}

void FilesView::refresh()
{
    m_tree->clear();
    m_dirs.clear();
    m_usedBytes = 0;
    m_usage->clear();
    m_preview->showMessage(tr("No preview"));
    if (m_client && m_client->isSignedIn())
        loadPage({}, ++m_generation);
}

void FilesView::handleEvent(const QString &type, qint64 /*id*/)
{
    if (type.startsWith(QLatin1String("file.")) && m_queue->runningCount() == 0)
        refresh();
}

void FilesView::loadPage(const QString &pageToken, quint64 generation)
{
    m_client->files().list(pageToken).then(
        this, [this, generation](const Client::ApiResult<FileList> &page) {
            if (generation != m_generation)
                return;
            if (!page && page.error().code == ErrorCode::NotFound) {
                m_preview->showMessage(tr("This server does not offer files."));
                return;
            }
            if (!page) {
                Q_EMIT errorOccurred(page.error().text());
                return;
            }
            for (const FileInfo &file : page->files)
                addFile(file);
            m_usage->setText(tr("%1 used").arg(displaySize(m_usedBytes)));
            if (!page->nextPageToken.isEmpty())
                loadPage(page->nextPageToken, generation);
        });
}

void FilesView::addFile(const FileInfo &file)
{
    const QStringList parts = file.path.split(QLatin1Char('/'));
    QTreeWidgetItem *parent = nullptr;
    QString prefix;
    for (int i = 0; i + 1 < parts.size(); ++i) {
        prefix += parts.at(i) + QLatin1Char('/');
        QTreeWidgetItem *&dir = m_dirs[prefix];
        if (!dir) {
            dir = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
            dir->setText(0, parts.at(i));
            dir->setIcon(0, QIcon(QStringLiteral(":/icons/folder.svg")));
            dir->setData(0, kDirectoryRole, prefix);
            dir->setExpanded(true);
        }
        parent = dir;
    }
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    item->setText(0, parts.last());
    item->setIcon(0, QIcon(QStringLiteral(":/icons/file.svg")));
    item->setText(1, displaySize(file.size));
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(2, file.contentType);
    item->setText(3, displayTime(file.updatedAt));
    item->setData(0, kPathRole, file.path);
    item->setData(0, kTypeRole, file.contentType);
    item->setData(0, kSizeRole, file.size);
    m_usedBytes += file.size;
}

QStringList FilesView::listedPaths() const
{
    QStringList paths;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        const QString path = (*it)->data(0, kPathRole).toString();
        if (!path.isEmpty())
            paths.append(path);
    }
    return paths;
}

QString FilesView::selectedPath() const
{
    QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, kPathRole).toString() : QString();
}

QString FilesView::currentDirectory() const
{
    QTreeWidgetItem *item = m_tree->currentItem();
    if (!item)
        return {};
    QString dir = item->data(0, kDirectoryRole).toString();
    if (!dir.isEmpty())
        return dir;
    const QString path = item->data(0, kPathRole).toString();
    const int slash = int(path.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? QString() : path.left(slash + 1);
}

void FilesView::selectPath(const QString &path)
{
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if ((*it)->data(0, kPathRole).toString() == path) {
            m_tree->setCurrentItem(*it);
            return;
        }
    }
}

void FilesView::createNew()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Upload files"));
    if (!files.isEmpty())
        upload(files, currentDirectory());
}

void FilesView::deleteSelected()
{
    const QString path = selectedPath();
    if (!m_client || path.isEmpty())
        return;
    confirm(
        this, tr("Delete file"), tr("Delete %1? This cannot be undone.").arg(path), [this, path] {
            m_client->files().remove(path).then(
                this, [this](const Client::ApiResult<void> &removed) {
                    if (!removed)
                        Q_EMIT errorOccurred(removed.error().text());
                    refresh();
                });
        });
}

void FilesView::upload(const QStringList &localPaths, const QString &directory)
{
    m_queue->upload(localPaths, directory);
}

void FilesView::download(const QString &remotePath, const QString &localPath)
{
    m_queue->download(remotePath, localPath);
}

void FilesView::cancelTransfers()
{
    m_queue->cancelAll();
}

QList<int> FilesView::selectedTransfers() const
{
    QList<int> indexes;
    for (const QTreeWidgetItem *item : m_transfers->selectedItems())
        indexes.append(item->data(TransferName, kTransferRole).toInt());
    std::sort(indexes.begin(), indexes.end());
    return indexes;
}

void FilesView::selectTransfer(int index)
{
    m_transfers->clearSelection();
    if (QTreeWidgetItem *item = m_transfers->topLevelItem(index))
        item->setSelected(true);
}

void FilesView::showTransfer(int index)
{
    const TransferQueue::Transfer &transfer = m_queue->transfers().at(index);
    // The arrow is not the only sign of the direction: the tooltip says it in words.
    const bool upload = transfer.direction == TransferQueue::Direction::Upload;
    auto *item = new QTreeWidgetItem(m_transfers,
        {upload ? tr("↑ %1").arg(transfer.remotePath) : tr("↓ %1").arg(transfer.remotePath)});
    item->setData(TransferName, kTransferRole, index);
    item->setToolTip(TransferName,
        upload ? tr("Upload of %1 to %2").arg(transfer.localPath, transfer.remotePath)
               : tr("Download of %1 to %2").arg(transfer.remotePath, transfer.localPath));
    item->setTextAlignment(TransferSpeed, Qt::AlignRight | Qt::AlignVCenter);
    auto *bar = new QProgressBar(m_transfers);
    bar->setRange(0, 100);
    bar->setValue(0);
    bar->setAccessibleName(tr("Progress of %1").arg(transfer.remotePath));
    m_transfers->setItemWidget(item, TransferProgress, bar);
    m_bars.append(bar);
    m_panel->show();
    updateTransfer(index);
}

void FilesView::rebuildTransfers()
{
    m_transfers->clear();
    m_bars.clear();
    for (int i = 0; i < m_queue->transfers().size(); ++i)
        showTransfer(i);
    m_panel->setVisible(!m_queue->transfers().isEmpty());
    updateOverall();
    updateButtons();
}

void FilesView::updateTransfer(int index)
{
    const TransferQueue::Transfer &transfer = m_queue->transfers().at(index);
    QProgressBar *bar = m_bars.value(index);
    QTreeWidgetItem *item = m_transfers->topLevelItem(index);
    if (!bar || !item)
        return;
    QString state;
    QString speed;
    bar->setValue(transfer.size > 0 ? int(transfer.done * 100 / transfer.size) : 0);
    switch (transfer.state) {
    case TransferQueue::State::Running:
        bar->setFormat(QStringLiteral("%p%"));
        state = transfer.resumedFrom > 0
            ? tr("%1 of %2, resumed at %3")
                  .arg(displaySize(transfer.done), displaySize(transfer.size),
                      displaySize(transfer.resumedFrom))
            : tr("%1 of %2").arg(displaySize(transfer.done), displaySize(transfer.size));
        speed = transfer.bytesPerSecond > 0 ? tr("%1/s").arg(displaySize(transfer.bytesPerSecond))
                                            : QString();
        break;
    case TransferQueue::State::Done:
        bar->setValue(100);
        bar->setFormat(tr("Done"));
        state = tr("Done: %1").arg(displaySize(transfer.size));
        break;
    case TransferQueue::State::Failed:
        bar->setFormat(tr("Failed"));
        state = tr("Failed: %1").arg(transfer.error);
        break;
    case TransferQueue::State::Cancelled:
        bar->setFormat(tr("Cancelled"));
        state = tr("Cancelled at %1").arg(displaySize(transfer.done));
        break;
    }
    item->setText(TransferSpeed, speed);
    item->setText(TransferStatus, state);
    item->setToolTip(TransferStatus, state);
    updateOverall();
    updateButtons();
}

void FilesView::updateOverall()
{
    const qint64 total = m_queue->totalBytes();
    const bool idle = m_queue->runningCount() == 0 && m_queue->queuedCount() == 0;
    m_overall->setRange(0, 1000);
    m_overall->setValue(total > 0 ? int(m_queue->doneBytes() * 1000 / total) : (idle ? 1000 : 0));
    m_overall->setFormat(tr("%p% of %1").arg(displaySize(total)));
}

void FilesView::updateButtons()
{
    bool cancellable = false;
    bool retryable = false;
    for (const int index : selectedTransfers()) {
        cancellable = cancellable || !m_queue->transfers().at(index).isFinished();
        retryable = retryable || m_queue->canRetry(index);
    }
    m_cancel->setEnabled(cancellable);
    m_retry->setEnabled(retryable);
    const bool running = m_queue->runningCount() > 0 || m_queue->queuedCount() > 0;
    m_cancelAll->setEnabled(running);
    m_clear->setEnabled(!running && !m_queue->transfers().isEmpty());
}

QString FilesView::directoryAt(const QPoint &pos) const
{
    const QTreeWidgetItem *item = m_tree->itemAt(pos);
    if (!item)
        return {};
    QString dir = item->data(0, kDirectoryRole).toString();
    if (!dir.isEmpty())
        return dir;
    const QString path = item->data(0, kPathRole).toString();
    const int slash = int(path.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? QString() : path.left(slash + 1);
}

bool FilesView::dropFiles(const QMimeData *mime, const QString &directory)
{
    QStringList paths;
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    if (paths.isEmpty())
        return false;
    upload(paths, directory);
    return true;
}

bool FilesView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_tree->viewport())
        return View::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::DragEnter:
    case QEvent::DragMove: {
        auto *drag = dynamic_cast<QDragMoveEvent *>(event);
        if (!drag || !drag->mimeData()->hasUrls())
            return false;
        drag->acceptProposedAction();
        const QString target = directoryAt(drag->position().toPoint());
        Q_EMIT statusMessage(target.isEmpty() ? tr("Drop to upload to the top folder")
                                              : tr("Drop to upload into %1").arg(target));
        return true;
    }
    case QEvent::Drop: {
        auto *drop = dynamic_cast<QDropEvent *>(event);
        if (drop && dropFiles(drop->mimeData(), directoryAt(drop->position().toPoint())))
            drop->acceptProposedAction();
        return true;
    }
    default:
        return View::eventFilter(watched, event);
    }
}

void FilesView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void FilesView::dropEvent(QDropEvent *event)
{
    if (dropFiles(event->mimeData(), currentDirectory()))
        event->acceptProposedAction();
}

} // namespace Outpost::App
