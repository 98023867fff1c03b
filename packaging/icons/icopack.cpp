// outpost-icopack OUT.ico PNG...: packs square PNG images of up to 256 pixels into a Windows
// icon file, each stored as PNG (Windows Vista and later read such entries). The Windows build
// embeds it in outpost.exe and the installer (cmake/OutpostDesktopPackaging.cmake).
#include <QByteArray>
#include <QDataStream>
#include <QFile>
#include <QImage>
#include <QList>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: outpost-icopack OUT.ico PNG...\n");
        return 2;
    }
    QList<QByteArray> images;
    QList<int> sizes;
    for (int i = 2; i < argc; ++i) {
        QFile png(QString::fromLocal8Bit(argv[i]));
        QByteArray data;
        if (png.open(QIODevice::ReadOnly))
            data = png.readAll();
        const QImage image = QImage::fromData(data, "PNG");
        if (image.isNull() || image.width() != image.height() || image.width() > 256) {
            std::fprintf(
                stderr, "outpost-icopack: %s is not a square PNG of up to 256 px\n", argv[i]);
            return 1;
        }
        images.append(data);
        sizes.append(image.width());
    }
    QFile out(QString::fromLocal8Bit(argv[1]));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "outpost-icopack: cannot write %s\n", argv[1]);
        return 1;
    }
    QDataStream stream(&out);
    stream.setByteOrder(QDataStream::LittleEndian);
    const auto count = quint16(images.size());
    stream << quint16(0) << quint16(1) << count; // ICONDIR: reserved, type 1 (icon), count
    quint32 offset = 6 + 16 * quint32(count);
    for (qsizetype i = 0; i < images.size(); ++i) {
        const quint8 side = sizes.at(i) == 256 ? 0 : quint8(sizes.at(i)); // 0 means 256
        stream << side << side << quint8(0) << quint8(0) // width, height, palette, reserved
               << quint16(1) << quint16(32)              // planes, bits per pixel
               << quint32(images.at(i).size()) << offset;
        offset += quint32(images.at(i).size());
    }
    for (const QByteArray &image : images)
        stream.writeRawData(image.constData(), int(image.size()));
    return stream.status() == QDataStream::Ok && out.flush() ? 0 : 1;
}
