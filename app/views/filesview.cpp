#include "filesview.h"

#include "client/apiclient.h"
#include "models/modelformat.h"
#include "viewsupport.h"

#include <QAction>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QJsonArray>
#include <QLabel>
#include <QMimeData>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Outpost::App {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kTypeRole = Qt::UserRole + 2;
constexpr int kSizeRole = Qt::UserRole + 3;
constexpr int kMaxParallelUploads = 2;
// Above this a file goes up in parts through /v1/uploads (the server's default single-PUT
// limit is 32 MiB and may be set lower; parts are 8 MiB or the limit, whichever is smaller).
constexpr qint64 kChunkedUploadAbove = 8 * 1024 * 1024;
constexpr qint64 kMaxPreviewBytes = 2 * 1024 * 1024;

QString filesPath(const QString &path)
{
    return QStringLiteral("/v1/files/") + path;
}

} // namespace

FilesView::FilesView(QWidget *parent)
    : View(parent)
    , m_tree(new QTreeWidget(this))
    , m_transfers(new QTreeWidget(this))
    , m_overall(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("&Cancel"), this))
    , m_usage(new QLabel(this))
    , m_preview(new QStackedWidget(this))
    , m_textPreview(new QPlainTextEdit(this))
    , m_imagePreview(new QLabel(this))
    , m_noPreview(new QLabel(tr("No preview"), this))
    , m_upload(new QAction(QIcon(QStringLiteral(":/icons/upload.svg")), tr("&Upload files…"), this))
    , m_uploadFolder(new QAction(tr("Upload &folder…"), this))
    , m_download(new QAction(QIcon(QStringLiteral(":/icons/download.svg")), tr("&Download…"), this))
    , m_delete(new QAction(QIcon(QStringLiteral(":/icons/delete.svg")), tr("&Delete"), this))
    , m_refresh(new QAction(QIcon(QStringLiteral(":/icons/refresh.svg")), tr("&Refresh"), this))
{
    setObjectName(QStringLiteral("filesView"));
    setAcceptDrops(true);
    m_tree->setObjectName(QStringLiteral("filesTree"));
    m_tree->setHeaderLabels({tr("Name"), tr("Size"), tr("Type"), tr("Modified")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({m_upload, m_uploadFolder, m_download, m_delete});
    rememberColumns(m_tree->header(), QStringLiteral("files"));
    m_transfers->setObjectName(QStringLiteral("transfers"));
    m_transfers->setHeaderLabels({tr("Transfer"), tr("Progress")});
    m_transfers->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_transfers->setRootIsDecorated(false);
    m_transfers->setMaximumHeight(140);
    m_transfers->hide();
    m_overall->setObjectName(QStringLiteral("overallProgress"));
    m_overall->hide();
    m_cancel->setObjectName(QStringLiteral("cancelTransfers"));
    m_cancel->hide();
    m_usage->setObjectName(QStringLiteral("usage"));
    m_textPreview->setReadOnly(true);
    m_imagePreview->setAlignment(Qt::AlignCenter);
    m_noPreview->setAlignment(Qt::AlignCenter);
    m_preview->addWidget(m_noPreview);
    m_preview->addWidget(m_textPreview);
    m_preview->addWidget(m_imagePreview);

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
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_overall);
    progressRow->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_transfers);
    layout->addLayout(progressRow);

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
    connect(m_cancel, &QPushButton::clicked, this, &FilesView::cancelTransfers);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item || item->data(0, kPathRole).toString().isEmpty()) {
            m_preview->setCurrentWidget(m_noPreview);
            return;
        }
        preview(item->data(0, kPathRole).toString(), item->data(0, kTypeRole).toString(),
            item->data(0, kSizeRole).toLongLong());
    });
}

void FilesView::setClient(Client::ApiClient *client)
{
    cancelTransfers();
    m_client = client;
    refresh();
}

void FilesView::refresh()
{
    m_tree->clear();
    m_dirs.clear();
    m_usedBytes = 0;
    m_usage->clear();
    m_preview->setCurrentWidget(m_noPreview);
    if (m_client && m_client->isSignedIn())
        loadPage({}, ++m_generation);
}

void FilesView::handleEvent(const QString &type, qint64)
{
    if (type.startsWith(QLatin1String("file.")) && m_running == 0)
        refresh();
}

void FilesView::loadPage(const QString &pageToken, quint64 generation)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("page_size"), QStringLiteral("1000"));
    if (!pageToken.isEmpty())
        query.addQueryItem(QStringLiteral("page_token"), pageToken);
    auto *call = m_client->get(QStringLiteral("/v1/files"), query);
    connect(call, &Client::ApiCall::finished, this,
        [this, generation](const Client::ApiResponse &response) {
            if (generation != m_generation)
                return;
            if (response.status == 404) {
                m_noPreview->setText(tr("This server does not offer files."));
                m_preview->setCurrentWidget(m_noPreview);
                return;
            }
            if (!response.ok()) {
                Q_EMIT errorOccurred(response.errorText());
                return;
            }
            const QJsonObject page = response.object();
            for (const QJsonValue &file : page.value(QStringLiteral("files")).toArray())
                addFile(file.toObject());
            m_usage->setText(tr("%1 used").arg(displaySize(m_usedBytes)));
            const QString next = page.value(QStringLiteral("next_page_token")).toString();
            if (!next.isEmpty())
                loadPage(next, generation);
        });
}

void FilesView::addFile(const QJsonObject &file)
{
    const QString path = file.value(QStringLiteral("file_path")).toString();
    const QStringList parts = path.split(QLatin1Char('/'));
    QTreeWidgetItem *parent = nullptr;
    QString prefix;
    for (int i = 0; i + 1 < parts.size(); ++i) {
        prefix += parts.at(i) + QLatin1Char('/');
        QTreeWidgetItem *&dir = m_dirs[prefix];
        if (!dir) {
            dir = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
            dir->setText(0, parts.at(i));
            dir->setIcon(0, QIcon(QStringLiteral(":/icons/folder.svg")));
            dir->setData(0, kPathRole + 10, prefix);
            dir->setExpanded(true);
        }
        parent = dir;
    }
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(m_tree);
    const qint64 size = file.value(QStringLiteral("size_bytes")).toInteger();
    item->setText(0, parts.last());
    item->setIcon(0, QIcon(QStringLiteral(":/icons/file.svg")));
    item->setText(1, displaySize(size));
    item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(2, file.value(QStringLiteral("content_type")).toString());
    item->setText(3, displayTime(file.value(QStringLiteral("last_modified"))));
    item->setData(0, kPathRole, path);
    item->setData(0, kTypeRole, file.value(QStringLiteral("content_type")).toString());
    item->setData(0, kSizeRole, size);
    m_usedBytes += size;
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
    const QString dir = item->data(0, kPathRole + 10).toString();
    if (!dir.isEmpty())
        return dir;
    const QString path = item->data(0, kPathRole).toString();
    const int slash = int(path.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? QString() : path.left(slash + 1);
}

void FilesView::preview(const QString &path, const QString &contentType, qint64 size)
{
    const bool text = contentType.startsWith(QLatin1String("text/"))
        || contentType.contains(QLatin1String("json"))
        || contentType.contains(QLatin1String("xml"));
    const bool image = contentType.startsWith(QLatin1String("image/"));
    if ((!text && !image) || size > kMaxPreviewBytes || !m_client) {
        m_noPreview->setText(size > kMaxPreviewBytes ? tr("Too large to preview")
                                                     : tr("No preview for %1").arg(contentType));
        m_preview->setCurrentWidget(m_noPreview);
        return;
    }
    auto *call = m_client->get(filesPath(path));
    connect(call, &Client::ApiCall::finished, this,
        [this, path, text](const Client::ApiResponse &response) {
            if (selectedPath() != path)
                return;
            if (!response.ok()) {
                m_noPreview->setText(response.errorText());
                m_preview->setCurrentWidget(m_noPreview);
                return;
            }
            if (text) {
                m_textPreview->setPlainText(QString::fromUtf8(response.body));
                m_preview->setCurrentWidget(m_textPreview);
                return;
            }
            const QImage picture = QImage::fromData(response.body);
            const QSize room = m_preview->size() - QSize(16, 16);
            m_imagePreview->setPixmap(QPixmap::fromImage(
                picture.width() > room.width() || picture.height() > room.height()
                    ? picture.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                    : picture));
            m_preview->setCurrentWidget(m_imagePreview);
        });
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
            auto *call = m_client->del(filesPath(path));
            connect(call, &Client::ApiCall::finished, this,
                [this](const Client::ApiResponse &response) {
                    if (!response.ok())
                        Q_EMIT errorOccurred(response.errorText());
                    refresh();
                });
        });
}

int FilesView::addTransfer(const QString &label, const QString &remotePath, qint64 size)
{
    auto *item = new QTreeWidgetItem(m_transfers, {label});
    auto *bar = new QProgressBar(m_transfers);
    bar->setRange(0, 100);
    bar->setValue(0);
    m_transfers->setItemWidget(item, 1, bar);
    m_transfers->show();
    m_overall->show();
    m_cancel->show();
    m_list.append({remotePath, size, 0, bar, nullptr, false});
    return int(m_list.size() - 1);
}

void FilesView::updateOverall()
{
    qint64 total = 0;
    qint64 done = 0;
    bool allFinished = true;
    for (const Transfer &transfer : std::as_const(m_list)) {
        total += transfer.size;
        done += transfer.finished ? transfer.size : transfer.done;
        allFinished = allFinished && transfer.finished;
    }
    m_overall->setRange(0, 1000);
    m_overall->setValue(total > 0 ? int(done * 1000 / total) : (allFinished ? 1000 : 0));
    m_overall->setFormat(tr("%p% of %1").arg(displaySize(total)));
    if (allFinished && m_queue.isEmpty()) {
        m_cancel->hide();
        Q_EMIT transfersFinished();
    }
}

void FilesView::upload(const QStringList &localPaths, const QString &directory)
{
    if (!m_client)
        return;
    for (const QString &local : localPaths) {
        const QFileInfo info(local);
        if (info.isDir()) {
            const QString base = info.absoluteDir().absolutePath();
            QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot,
                QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                m_queue.append({file, directory + QDir(base).relativeFilePath(file)});
            }
        } else if (info.isFile()) {
            m_queue.append({info.absoluteFilePath(), directory + info.fileName()});
        }
    }
    while (m_running < kMaxParallelUploads && !m_queue.isEmpty())
        startNextUpload();
}

void FilesView::startNextUpload()
{
    const auto [local, remote] = m_queue.takeFirst();
    auto *file = new QFile(local, this);
    if (!file->open(QIODevice::ReadOnly)) {
        Q_EMIT errorOccurred(tr("Cannot read %1: %2").arg(local, file->errorString()));
        delete file;
        return;
    }
    const int index = addTransfer(tr("↑ %1").arg(remote), remote, file->size());
    const QString type = QMimeDatabase().mimeTypeForFile(local).name();
    ++m_running;
    if (file->size() > kChunkedUploadAbove) {
        startChunkedUpload(file, remote, type, index);
        return;
    }
    Client::ApiCall *call = m_client->sendDevice("PUT", filesPath(remote), file, type.toUtf8());
    file->setParent(call);
    m_list[index].call = call;
    connect(call, &Client::ApiCall::uploadProgress, this, [this, index](qint64 sent, qint64 total) {
        Transfer &transfer = m_list[index];
        transfer.done = sent;
        transfer.bar->setValue(total > 0 ? int(sent * 100 / total) : 0);
        updateOverall();
    });
    connect(call, &Client::ApiCall::finished, this,
        [this, index](const Client::ApiResponse &response) { finishUpload(index, response); });
}

// Large files go up as a resumable chunked upload (POST /v1/uploads, one PUT per part,
// complete): a single PUT is capped by the server's body limit. One part is in memory at a
// time.
void FilesView::startChunkedUpload(
    QFile *file, const QString &remote, const QString &type, int index)
{
    Client::ApiCall *call = m_client->post(QStringLiteral("/v1/uploads"),
        {{QStringLiteral("file_path"), remote}, {QStringLiteral("size"), file->size()},
            {QStringLiteral("content_type"), type}});
    file->setParent(call);
    m_list[index].call = call;
    connect(call, &Client::ApiCall::finished, this,
        [this, index, file](const Client::ApiResponse &response) {
            if (!response.ok()) {
                finishUpload(index, response);
                return;
            }
            file->setParent(this);
            const QJsonObject upload = response.object();
            const QString id = upload.value(QStringLiteral("id")).toString();
            const qint64 partSize = upload.value(QStringLiteral("part_size")).toInteger();
            if (id.isEmpty() || partSize <= 0) {
                file->deleteLater();
                finishUpload(index, response);
                return;
            }
            sendUploadPart(file, id, partSize, 1, index);
        });
}

void FilesView::sendUploadPart(QFile *file, const QString &id, qint64 partSize, int part, int index)
{
    const QString uploadPath = QStringLiteral("/v1/uploads/") + id;
    const qint64 offset = file->pos();
    if (offset >= file->size()) {
        file->deleteLater();
        Client::ApiCall *call =
            m_client->post(uploadPath + QStringLiteral("/complete"), QJsonObject());
        m_list[index].call = call;
        connect(call, &Client::ApiCall::finished, this,
            [this, index](const Client::ApiResponse &response) { finishUpload(index, response); });
        return;
    }
    const QByteArray bytes = file->read(partSize);
    if (bytes.isEmpty()) {
        Q_EMIT errorOccurred(tr("Cannot read %1: %2").arg(file->fileName(), file->errorString()));
        file->deleteLater();
        m_client->del(uploadPath); // abort; the server forgets the parts
        Client::ApiResponse failed;
        finishUpload(index, failed);
        return;
    }
    Client::ApiCall *call =
        m_client->send("PUT", uploadPath + QStringLiteral("/parts/%1").arg(part), {}, bytes,
            {{"Content-Type", "application/octet-stream"}});
    m_list[index].call = call;
    connect(call, &Client::ApiCall::uploadProgress, this,
        [this, index, offset](qint64 sent, qint64 /*total*/) {
            Transfer &transfer = m_list[index];
            transfer.done = offset + sent;
            transfer.bar->setValue(
                transfer.size > 0 ? int(transfer.done * 100 / transfer.size) : 0);
            updateOverall();
        });
    connect(call, &Client::ApiCall::finished, this,
        [this, file, id, partSize, part, index, uploadPath](const Client::ApiResponse &response) {
            if (!response.ok()) {
                file->deleteLater();
                m_client->del(uploadPath); // cancelled or failed: abort the upload
                finishUpload(index, response);
                return;
            }
            sendUploadPart(file, id, partSize, part + 1, index);
        });
}

void FilesView::finishUpload(int index, const Client::ApiResponse &response)
{
    --m_running;
    Transfer &transfer = m_list[index];
    transfer.finished = true;
    if (response.ok()) {
        transfer.done = transfer.size;
        transfer.bar->setValue(100);
        transfer.bar->setFormat(tr("Done"));
    } else {
        transfer.bar->setFormat(response.aborted ? tr("Cancelled") : tr("Failed"));
        if (!response.aborted)
            Q_EMIT errorOccurred(
                tr("Upload of %1 failed: %2").arg(transfer.remotePath, response.errorText()));
    }
    if (!m_queue.isEmpty())
        startNextUpload();
    updateOverall();
    if (m_running == 0)
        refresh();
}

void FilesView::download(const QString &remotePath, const QString &localPath)
{
    if (!m_client)
        return;
    auto *file = new QFile(localPath, this);
    if (!file->open(QIODevice::WriteOnly)) {
        Q_EMIT errorOccurred(tr("Cannot write %1: %2").arg(localPath, file->errorString()));
        delete file;
        return;
    }
    const int index = addTransfer(tr("↓ %1").arg(remotePath), remotePath, 0);
    Client::ApiCall *call = m_client->download(filesPath(remotePath), file);
    m_list[index].call = call;
    ++m_running;
    connect(call, &Client::ApiCall::downloadProgress, this,
        [this, index](qint64 received, qint64 total) {
            Transfer &transfer = m_list[index];
            transfer.size = qMax<qint64>(total, 0);
            transfer.done = received;
            transfer.bar->setValue(total > 0 ? int(received * 100 / total) : 0);
            updateOverall();
        });
    connect(call, &Client::ApiCall::finished, this,
        [this, index, file](const Client::ApiResponse &response) {
            --m_running;
            file->close();
            Transfer &transfer = m_list[index];
            transfer.finished = true;
            if (response.ok()) {
                transfer.bar->setValue(100);
                transfer.bar->setFormat(tr("Done"));
            } else {
                file->remove();
                transfer.bar->setFormat(response.aborted ? tr("Cancelled") : tr("Failed"));
                if (!response.aborted)
                    Q_EMIT errorOccurred(response.errorText());
            }
            file->deleteLater();
            updateOverall();
        });
}

void FilesView::cancelTransfers()
{
    m_queue.clear();
    for (Transfer &transfer : m_list) {
        if (transfer.call && !transfer.finished)
            transfer.call->abort();
    }
}

void FilesView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void FilesView::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    if (!paths.isEmpty()) {
        upload(paths, currentDirectory());
        event->acceptProposedAction();
    }
}

} // namespace Outpost::App
