// outpost-svgtopng SVG OUTDIR NAME SIZE...: renders SVG as OUTDIR/<SIZE>x<SIZE>/apps/NAME for
// every SIZE, the PNG sizes of the hicolor icon theme, at build time (cmake/OutpostInstall.cmake).
// The output depends only on the SVG and Qt's renderer, so the packages stay reproducible.
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char *argv[])
{
    if (argc < 5) {
        std::fprintf(stderr, "usage: outpost-svgtopng SVG OUTDIR NAME SIZE...\n");
        return 2;
    }
    QSvgRenderer renderer(QString::fromLocal8Bit(argv[1]));
    if (!renderer.isValid()) {
        std::fprintf(stderr, "outpost-svgtopng: cannot read %s\n", argv[1]);
        return 1;
    }
    const QDir outDir(QString::fromLocal8Bit(argv[2]));
    const QString name = QString::fromLocal8Bit(argv[3]);
    for (int i = 4; i < argc; ++i) {
        bool ok = false;
        const int size = QByteArray(argv[i]).toInt(&ok);
        if (!ok || size < 1) {
            std::fprintf(stderr, "outpost-svgtopng: bad size %s\n", argv[i]);
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        renderer.render(&painter);
        painter.end();
        const QString dir = QStringLiteral("%1x%1/apps").arg(size);
        const QString path = outDir.filePath(dir + QLatin1Char('/') + name);
        if (!outDir.mkpath(dir) || !image.save(path, "PNG")) {
            std::fprintf(stderr, "outpost-svgtopng: cannot write %s\n", qPrintable(path));
            return 1;
        }
    }
    return 0;
}
