#pragma once

#include "config/config.h"

#include <QDateTime>
#include <QThreadPool>

namespace Outpost::Server {

class AdminService;
class ApiKeyService;
class AuditService;
class BackupService;
class AuthService;
class Database;
class DeliveryDispatcher;
class EventBus;
class FileService;
class FileStore;
class GenerationClient;
class UploadService;
class LocalRunner;
class Mailer;
class PasswordRecoveryService;
class OidcService;
class Metrics;
class PipelineService;
class PostService;
class Router;
class SubscriptionService;
class UserService;
class WikiService;

// What the API and service layers share for the server's lifetime. Read-only once started.
struct ServerContext
{
    Config config;
    Database *database = nullptr;
    Metrics *metrics = nullptr;
    const Router *router = nullptr;
    QDateTime startedAt;
    QThreadPool *slowPool = nullptr; // bcrypt and other slow work, off the HTTP threads

    AuditService *audit = nullptr;
    AuthService *auth = nullptr;
    UserService *users = nullptr;
    ApiKeyService *apiKeys = nullptr;
    AdminService *admin = nullptr;
    EventBus *events = nullptr;
    PostService *posts = nullptr;
    FileStore *fileStore = nullptr;
    FileService *files = nullptr;
    UploadService *uploads = nullptr;
    GenerationClient *generator = nullptr;
    PipelineService *pipelines = nullptr;
    LocalRunner *localRunner = nullptr; // null unless OUTPOST_LOCAL_RUNNERS is on
    BackupService *backups = nullptr;
    Mailer *mailer = nullptr; // always set; mailer->enabled() only with OUTPOST_SMTP_URL
    PasswordRecoveryService *passwordRecovery = nullptr;
    SubscriptionService *subscriptions = nullptr;
    DeliveryDispatcher *dispatcher = nullptr;
    OidcService *oidc = nullptr; // null unless an OpenID provider is configured
    WikiService *wiki = nullptr; // lookups off when OUTPOST_WIKI_URL=off
};

} // namespace Outpost::Server
