#include "filepreview.h"

#include "client/apiclient.h"
#include "viewsupport.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QStringDecoder>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace Outpost::App {

namespace {

// Not all servers know these types: a name says what is in the file as well.
bool hasSuffix(const QString &path, std::initializer_list<const char *> suffixes)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return std::ranges::any_of(
        suffixes, [&suffix](const char *candidate) { return suffix == QLatin1String(candidate); });
}

// `bytes` as text, or nothing when it does not look like text. A multi-byte character cut
// by the size cap is left out.
std::optional<QString> decodeText(QByteArray bytes, bool truncated)
{
    if (bytes.contains('\0'))
        return std::nullopt;
    if (truncated) {
        // Drop a UTF-8 sequence cut short at the end (at most 3 continuation bytes).
        qsizetype start = bytes.size() - 1;
        while (start > 0 && bytes.size() - start < 4 && (uchar(bytes.at(start)) & 0xC0) == 0x80)
            --start;
        if (start >= 0 && (uchar(bytes.at(start)) & 0x80) != 0) {
            const auto lead = uchar(bytes.at(start));
            const qsizetype need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (bytes.size() - start < need)
                bytes.truncate(start);
        }
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

} // namespace

FilePreview::FilePreview(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_pages(new QStackedWidget(this))
    , m_message(new QLabel(tr("No preview"), this))
    , m_text(new QPlainTextEdit(this))
    , m_markdown(new QTextBrowser(this))
    , m_image(new QLabel(this))
{
    setObjectName(QStringLiteral("filePreview"));
    m_note->setObjectName(QStringLiteral("previewNote"));
    m_message->setObjectName(QStringLiteral("noPreview"));
    m_text->setObjectName(QStringLiteral("textPreview"));
    m_markdown->setObjectName(QStringLiteral("markdownPreview"));
    m_image->setObjectName(QStringLiteral("imagePreview"));
    m_text->setAccessibleName(tr("Preview"));
    m_markdown->setAccessibleName(tr("Preview"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_markdown->setOpenExternalLinks(true);
    m_image->setAlignment(Qt::AlignCenter);
    m_pages->addWidget(m_message);
    m_pages->addWidget(m_text);
    m_pages->addWidget(m_markdown);
    m_pages->addWidget(m_image);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_note);
    layout->addWidget(m_pages, 1);
}

FilePreview::Kind FilePreview::kindOf(const QString &path, const QString &contentType)
{
    const QString type = contentType.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    if (type.startsWith(QLatin1String("image/")))
        return Kind::Image;
    if (type == QLatin1String("text/markdown") || hasSuffix(path, {"md", "markdown"}))
        return Kind::Markdown;
    if (type == QLatin1String("application/json") || type.endsWith(QLatin1String("+json"))
        || hasSuffix(path, {"json"}))
        return Kind::Json;
    if (hasSuffix(path, {"png", "jpg", "jpeg", "gif", "bmp", "webp"}))
        return Kind::Image;
    if (type.startsWith(QLatin1String("text/")) || type.contains(QLatin1String("xml"))
        || type.contains(QLatin1String("yaml")) || type == QLatin1String("application/javascript")
        || hasSuffix(path,
            {"txt", "log", "csv", "tsv", "yaml", "yml", "toml", "ini", "conf", "cfg", "xml", "html",
                "css", "js", "ts", "sh", "py", "c", "h", "cpp", "hpp", "rs", "go", "java", "sql",
                "env"}))
        return Kind::Text;
    return Kind::None;
}

void FilePreview::showMessage(const QString &text)
{
    m_path.clear();
    m_kind = Kind::None;
    setNote({});
    m_message->setText(text);
    m_pages->setCurrentWidget(m_message);
}

void FilePreview::setNote(const QString &text)
{
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString FilePreview::note() const
{
    return m_note->text();
}

QString FilePreview::shownText() const
{
    switch (m_kind) {
    case Kind::Text:
    case Kind::Json:
        return m_text->toPlainText();
    case Kind::Markdown:
        return m_markdown->toPlainText();
    default:
        return {};
    }
}

void FilePreview::showFile(const QString &path, const QString &contentType, qint64 size)
{
    m_path = path;
    const Kind kind = kindOf(path, contentType);
    if (!m_client) {
        showMessage(tr("No preview"));
        return;
    }
    if (kind == Kind::Image && size > kImageBytes) {
        showMessage(tr("This image is too large to preview (%1).").arg(displaySize(size)));
        return;
    }
    if (size == 0) {
        showContent(kind == Kind::None ? Kind::Text : kind, {}, 0);
        return;
    }
    m_message->setText(tr("Loading the preview…"));
    setNote({});
    m_pages->setCurrentWidget(m_message);
    // Unknown types are read as far as the text cap too, to see whether they are text.
    const qint64 limit = kind == Kind::Image ? kImageBytes : kTextBytes;
    m_client->files()
        .contentStart(path, limit)
        .then(this, [this, path, kind, size](const Client::ApiResult<QByteArray> &content) {
            if (m_path != path)
                return; // another file was selected since
            if (!content) {
                showMessage(content.error().text());
                m_path = path;
                Q_EMIT shown();
                return;
            }
            showContent(kind, *content, size);
        });
}

void FilePreview::showContent(Kind kind, const QByteArray &content, qint64 size)
{
    const bool truncated = size > content.size();
    if (kind == Kind::Image) {
        const QImage picture = QImage::fromData(content);
        if (picture.isNull()) {
            showMessage(tr("This image could not be read."));
        } else {
            const QSize room = m_pages->size() - QSize(16, 16);
            m_image->setPixmap(QPixmap::fromImage(
                picture.width() > room.width() || picture.height() > room.height()
                    ? picture.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                    : picture));
            m_image->setToolTip(tr("%1 × %2 pixels").arg(picture.width()).arg(picture.height()));
            m_kind = Kind::Image;
            setNote({});
            m_pages->setCurrentWidget(m_image);
        }
        Q_EMIT shown();
        return;
    }
    const std::optional<QString> text = decodeText(content, truncated);
    if (!text) {
        const QString path = m_path;
        showMessage(tr("No preview: this file is not text or an image."));
        m_path = path;
        Q_EMIT shown();
        return;
    }
    m_kind = kind == Kind::None ? Kind::Text : kind;
    QString note = truncated
        ? tr("Showing the first %1 of %2.").arg(displaySize(content.size()), displaySize(size))
        : QString();
    if (m_kind == Kind::Json) {
        QJsonParseError error {};
        const QJsonDocument document = QJsonDocument::fromJson(text->toUtf8(), &error);
        if (error.error == QJsonParseError::NoError) {
            m_text->setPlainText(QString::fromUtf8(document.toJson(QJsonDocument::Indented)));
        } else {
            // Part of a file, or not JSON after all: shown as it is.
            m_text->setPlainText(*text);
            if (!truncated) {
                note = tr("Not valid JSON (%1 at byte %2): shown as it is.")
                           .arg(error.errorString())
                           .arg(error.offset);
            } else {
                note += QLatin1Char(' ') + tr("Only a complete file can be pretty-printed.");
            }
        }
        m_pages->setCurrentWidget(m_text);
    } else if (m_kind == Kind::Markdown) {
        m_markdown->setMarkdown(*text);
        m_pages->setCurrentWidget(m_markdown);
    } else {
        m_text->setPlainText(*text);
        m_pages->setCurrentWidget(m_text);
    }
    setNote(note);
    Q_EMIT shown();
}

} // namespace Outpost::App
