#include "pagedtablemodel.h"

#include "client/apiclient.h"

#include <QJsonArray>

namespace Outpost::App {

PagedTableModel::PagedTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void PagedTableModel::setClient(Client::ApiClient *client)
{
    m_client = client;
    refresh();
}

void PagedTableModel::setSearch(const QString &search)
{
    if (search == m_search)
        return;
    m_search = search;
    refresh();
}

qint64 PagedTableModel::idAt(int row) const
{
    return m_rows.value(row).value(QStringLiteral("id")).toInteger();
}

int PagedTableModel::rowOfId(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (idAt(row) == id)
            return row;
    }
    return -1;
}

void PagedTableModel::refresh()
{
    ++m_generation;
    m_loading = false;
    if (!m_rows.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        m_total = 0;
        endResetModel();
    }
    m_total = 0;
    if (m_client && m_client->isSignedIn() && isReady())
        load(0);
}

void PagedTableModel::load(qint64 skip)
{
    if (!m_client || m_loading)
        return;
    m_loading = true;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("limit"), QString::number(kPageSize));
    query.addQueryItem(QStringLiteral("skip"), QString::number(skip));
    if (!m_search.isEmpty())
        query.addQueryItem(QStringLiteral("search"), m_search);
    if (!m_sort.isEmpty())
        query.addQueryItem(QStringLiteral("sort"), m_sort);
    addQuery(query);
    const quint64 generation = m_generation;
    auto *call = m_client->get(path(), query);
    connect(call, &Client::ApiCall::finished, this,
        [this, generation, skip](const Client::ApiResponse &response) {
            if (generation != m_generation)
                return;
            m_loading = false;
            if (response.status == 404) {
                Q_EMIT endpointMissing();
                return;
            }
            if (!response.ok()) {
                Q_EMIT errorOccurred(response.errorText());
                return;
            }
            const QJsonObject envelope = response.object();
            const QJsonArray items = envelope.value(QStringLiteral("items")).toArray();
            m_total = envelope.value(QStringLiteral("total")).toInteger();
            if (skip != m_rows.size()) {
                Q_EMIT loaded();
                return;
            }
            if (!items.isEmpty()) {
                beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + items.size() - 1));
                for (const QJsonValue &item : items)
                    m_rows.append(item.toObject());
                endInsertRows();
            }
            if (items.isEmpty())
                m_total = m_rows.size(); // nothing more: never ask again
            Q_EMIT loaded();
        });
}

void PagedTableModel::refreshRow(qint64 id)
{
    if (!m_client || rowOfId(id) < 0)
        return;
    auto *call = m_client->get(path() + QStringLiteral("/%1").arg(id));
    connect(
        call, &Client::ApiCall::finished, this, [this, id](const Client::ApiResponse &response) {
            const int row = rowOfId(id);
            if (row < 0)
                return;
            if (response.status == 404) {
                removeId(id);
                return;
            }
            if (!response.ok())
                return;
            m_rows[row] = response.object();
            Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
        });
}

void PagedTableModel::removeId(qint64 id)
{
    const int row = rowOfId(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    --m_total;
    endRemoveRows();
}

int PagedTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PagedTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers().size());
}

QVariant PagedTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject &object = m_rows.at(index.row());
    if (role == IdRole)
        return object.value(QStringLiteral("id")).toInteger();
    if (role == ObjectRole)
        return object;
    return cell(object, index.column(), role);
}

QVariant PagedTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return headers().value(section);
    return {};
}

bool PagedTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_client && !m_loading && m_rows.size() < m_total;
}

void PagedTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        load(m_rows.size());
}

void PagedTableModel::sort(int column, Qt::SortOrder order)
{
    const QString value = sortValue(column, order);
    if (value == m_sort)
        return;
    m_sort = value;
    refresh();
}

QString PagedTableModel::sortValue(int, Qt::SortOrder) const
{
    return {};
}

void PagedTableModel::addQuery(QUrlQuery &) const { }

} // namespace Outpost::App
