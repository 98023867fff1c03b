// outpostctl: the command line for Outpost servers (ctl/ctl.h).
#include "core/version.h"
#include "ctl/ctl.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("outpostctl"));
    QCoreApplication::setOrganizationName(QStringLiteral("Outpost"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(Outpost::kVersion));
    Outpost::Ctl::Ctl ctl;
    return ctl.run(QCoreApplication::arguments());
}
