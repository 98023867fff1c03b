<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Outpost::App::ApiKeysModel</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Portées</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Préfixe</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Dernière utilisation</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
</context>
<context>
    <name>Outpost::App::AuditModel</name>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Quoi</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Setup token (first administrator)</source>
        <translation>Jeton d’installation (premier administrateur)</translation>
    </message>
    <message>
        <source>Registration on the server&apos;s computer (first administrator)</source>
        <translation>Inscription sur l’ordinateur du serveur (premier administrateur)</translation>
    </message>
    <message>
        <source>Command line (outpost-server)</source>
        <translation>Ligne de commande (outpost-server)</translation>
    </message>
    <message>
        <source>(anonymous)</source>
        <translation>(anonyme)</translation>
    </message>
</context>
<context>
    <name>Outpost::App::BackupsDialog</name>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Sauvegarder maintenant</translation>
    </message>
    <message>
        <source>&amp;Download…</source>
        <translation>Téléc&amp;harger…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sauvegardes</translation>
    </message>
    <message>
        <source>Backups are kept in the server&apos;s file store, under backups/. Each one holds the database and the files stored on the server&apos;s disk; restore one with &quot;outpost-server restore --input FILE&quot;.</source>
        <translation>Les sauvegardes sont conservées dans le stockage de fichiers du serveur, sous backups/. Chacune contient la base de données et les fichiers stockés sur le disque du serveur ; restaurez-en une avec « outpost-server restore --input FICHIER ».</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créée</translation>
    </message>
    <message>
        <source>This server cannot make backups.</source>
        <translation>Ce serveur ne peut pas faire de sauvegardes.</translation>
    </message>
    <message>
        <source>The backups could not be listed.</source>
        <translation>Impossible de lister les sauvegardes.</translation>
    </message>
    <message>
        <source>Starting a backup…</source>
        <translation>Démarrage d’une sauvegarde…</translation>
    </message>
    <message>
        <source>The backup could not be started.</source>
        <translation>Impossible de démarrer la sauvegarde.</translation>
    </message>
    <message>
        <source>Backing up into %1…</source>
        <translation>Sauvegarde dans %1…</translation>
    </message>
    <message>
        <source>The state of the backup could not be read.</source>
        <translation>Impossible de lire l’état de la sauvegarde.</translation>
    </message>
    <message>
        <source>The backup failed.</source>
        <translation>La sauvegarde a échoué.</translation>
    </message>
    <message>
        <source>Backup %1 made (%2).</source>
        <translation>Sauvegarde %1 créée (%2).</translation>
    </message>
    <message>
        <source>Save the backup as</source>
        <translation>Enregistrer la sauvegarde sous</translation>
    </message>
    <message>
        <source>Backups (*.tar.gz)</source>
        <translation>Sauvegardes (*.tar.gz)</translation>
    </message>
    <message>
        <source>The backup could not be saved.</source>
        <translation>Impossible d’enregistrer la sauvegarde.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>Téléchargement de %1…</translation>
    </message>
    <message>
        <source>The backup could not be downloaded.</source>
        <translation>Impossible de télécharger la sauvegarde.</translation>
    </message>
    <message>
        <source>Saved %1 as %2.</source>
        <translation>%1 enregistrée sous %2.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::CommandLine</name>
    <message>
        <source>Outpost admin console: runs an Outpost server on this computer or manages a remote one.</source>
        <translation>Console d’administration Outpost : exécute un serveur Outpost sur cet ordinateur ou en gère un à distance.</translation>
    </message>
    <message>
        <source>Serve the API without a window (outpost --headless --help lists its options).</source>
        <translation>Servir l’API sans fenêtre (outpost --headless --help en liste les options).</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ConnectDialog</name>
    <message>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Work &amp;offline on this computer</source>
        <translation>Travailler &amp;hors ligne sur cet ordinateur</translation>
    </message>
    <message>
        <source>Open Outpost</source>
        <translation>Ouvrir Outpost</translation>
    </message>
    <message>
        <source>not needed for a remembered connection</source>
        <translation>inutile pour une connexion mémorisée</translation>
    </message>
    <message>
        <source>Runs Outpost inside this app, with its data in your user folder. No network and no setup needed.</source>
        <translation>Exécute Outpost dans cette application, avec ses données dans votre dossier personnel. Ni réseau ni configuration nécessaires.</translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation>Se connecter à un serveur</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Nouvelle connexion</translation>
    </message>
    <message>
        <source>&amp;Recent:</source>
        <translation>&amp;Récentes :</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>&amp;URL du serveur :</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Mot de &amp;passe :</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Outpost&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Bienvenue dans Outpost&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, such as https://outpost.example.com.</source>
        <translation>Saisissez l’adresse du serveur, par exemple https://outpost.example.com.</translation>
    </message>
    <message>
        <source>Enter the email address you sign in with.</source>
        <translation>Saisissez l’adresse e-mail avec laquelle vous vous connectez.</translation>
    </message>
    <message>
        <source>Enter your password: no saved sign-in for %1 on this computer.</source>
        <translation>Saisissez votre mot de passe : aucune connexion enregistrée pour %1 sur cet ordinateur.</translation>
    </message>
    <message>
        <source>The saved sign-in is no longer valid: enter your password.
%1</source>
        <translation>La connexion enregistrée n’est plus valide : saisissez votre mot de passe.
%1</translation>
    </message>
    <message>
        <source>Subject: %1
Issuer: %2
Valid: %3 to %4
SHA-256: %5</source>
        <translation>Sujet : %1
Émetteur : %2
Valide : du %3 au %4
SHA-256 : %5</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Certificat non approuvé</translation>
    </message>
    <message>
        <source>The connection to %1 is not secure:
%2</source>
        <translation>La connexion à %1 n’est pas sécurisée :
%2</translation>
    </message>
    <message>
        <source>Trust this certificate only if you know it is the server&apos;s own.</source>
        <translation>N’approuvez ce certificat que si vous savez qu’il s’agit bien de celui du serveur.</translation>
    </message>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation>&amp;Approuver ce certificat</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s certificate was not trusted.</source>
        <translation>Non connecté : le certificat du serveur n’a pas été approuvé.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Se connecter avec %1</translation>
    </message>
    <message>
        <source>This server does not accept passwords here. A remembered connection still signs in.</source>
        <translation>Ce serveur n’accepte pas de mot de passe ici. Une connexion mémorisée se connecte toujours.</translation>
    </message>
    <message>
        <source>This server does not accept passwords: sign in with single sign-on below. A remembered connection still signs in with Connect.</source>
        <translation>Ce serveur n’accepte pas de mot de passe : connectez-vous ci-dessous par authentification unique. Une connexion mémorisée se connecte toujours avec « Se connecter ».</translation>
    </message>
    <message>
        <source>On this server only administrators sign in with a password; everyone else signs in with single sign-on below.</source>
        <translation>Sur ce serveur, seuls les administrateurs se connectent avec un mot de passe ; tous les autres utilisent l’authentification unique ci-dessous.</translation>
    </message>
    <message>
        <source>Finish signing in with %1 in your web browser…</source>
        <translation>Terminez la connexion avec %1 dans votre navigateur web…</translation>
    </message>
    <message>
        <source>Signed in, but the account could not be read: %1</source>
        <translation>Connecté, mais le compte n’a pas pu être lu : %1</translation>
    </message>
    <message>
        <source>No saved sign-in for %1 on this computer: use single sign-on.</source>
        <translation>Aucune connexion mémorisée pour %1 sur cet ordinateur : utilisez l’authentification unique.</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>Certificat du serveur modifié</translation>
    </message>
    <message>
        <source>Not connected: %1 presented a different key than the one you trusted before.</source>
        <translation>Non connecté : %1 a présenté une autre clé que celle à laquelle vous faisiez confiance.</translation>
    </message>
    <message>
        <source>Trusted before (SHA-256 of the public key):
%1

Presented now:
%2
Subject: %3, issuer: %4, valid until %5

Someone may be intercepting the connection. Accept the new key only if the server&apos;s administrator replaced its certificate and you can confirm the new fingerprint.</source>
        <translation>Approuvée auparavant (SHA-256 de la clé publique) :
%1

Présentée maintenant :
%2
Sujet : %3, émetteur : %4, valide jusqu’au %5

Quelqu’un intercepte peut-être la connexion. N’acceptez la nouvelle clé que si l’administrateur du serveur a remplacé son certificat et que vous pouvez confirmer la nouvelle empreinte.</translation>
    </message>
    <message>
        <source>&amp;Accept the new key</source>
        <translation>&amp;Accepter la nouvelle clé</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s key changed and was not accepted.</source>
        <translation>Non connecté : la clé du serveur a changé et n’a pas été acceptée.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::DashboardView</name>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version :</translation>
    </message>
    <message>
        <source>Uptime:</source>
        <translation>Temps de fonctionnement :</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de données :</translation>
    </message>
    <message>
        <source>File store:</source>
        <translation>Stockage des fichiers :</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Totaux</translation>
    </message>
    <message>
        <source>Users:</source>
        <translation>Utilisateurs :</translation>
    </message>
    <message>
        <source>Posts:</source>
        <translation>Publications :</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Fichiers :</translation>
    </message>
    <message>
        <source>Pipelines:</source>
        <translation>Pipelines :</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Requêtes par seconde</translation>
    </message>
    <message>
        <source>p95 latency (ms)</source>
        <translation>Latence p95 (ms)</translation>
    </message>
    <message>
        <source>Recent audit entries</source>
        <translation>Entrées d’audit récentes</translation>
    </message>
    <message>
        <source>(server details are for administrators)</source>
        <translation>(détails du serveur réservés aux administrateurs)</translation>
    </message>
    <message>
        <source>%1, schema version %2</source>
        <translation>%1, version du schéma %2</translation>
    </message>
    <message>
        <source>%1 d %2 h %3 min</source>
        <translation>%1 j %2 h %3 min</translation>
    </message>
    <message>
        <source>%1 h %2 min %3 s</source>
        <translation>%1 h %2 min %3 s</translation>
    </message>
    <message>
        <source>Chart window</source>
        <translation>Période des graphiques</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>5 dernières minutes</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Dernières 24 heures</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Afficher :</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Démarré le %1</translation>
    </message>
    <message>
        <source>Server errors (5xx, % of answers)</source>
        <translation>Erreurs du serveur (5xx, % des réponses)</translation>
    </message>
    <message>
        <source>Kept by this app for 24 hours, also across restarts (every second while the dashboard is shown).</source>
        <translation>Conservé par cette application pendant 24 heures, même après un redémarrage (chaque seconde tant que le tableau de bord est affiché).</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the entry&apos;s object</source>
        <translation>Double-cliquez ou appuyez sur Entrée pour ouvrir l’objet de l’entrée</translation>
    </message>
    <message>
        <source>Failing pipelines</source>
        <translation>Pipelines en échec</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the failed run</source>
        <translation>Double-cliquez ou appuyez sur Entrée pour ouvrir l’exécution en échec</translation>
    </message>
    <message>
        <source>✗ %1 — run #%2 timed out %3</source>
        <translation>✗ %1 — exécution n° %2 hors délai, %3</translation>
    </message>
    <message>
        <source>✗ %1 — run #%2 failed %3</source>
        <translation>✗ %1 — exécution n° %2 en échec, %3</translation>
    </message>
    <message>
        <source>No failing pipelines.</source>
        <translation>Aucun pipeline en échec.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::DeliveriesModel</name>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latence</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Prochaine tentative</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
</context>
<context>
    <name>Outpost::App::FilePreview</name>
    <message>
        <source>No preview</source>
        <translation>Pas d’aperçu</translation>
    </message>
    <message>
        <source>This image is too large to preview (%1).</source>
        <translation>Cette image est trop grande pour un aperçu (%1).</translation>
    </message>
    <message>
        <source>Loading the preview…</source>
        <translation>Chargement de l’aperçu…</translation>
    </message>
    <message>
        <source>This image could not be read.</source>
        <translation>Cette image n’a pas pu être lue.</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 pixels</translation>
    </message>
    <message>
        <source>No preview: this file is not text or an image.</source>
        <translation>Pas d’aperçu : ce fichier n’est ni du texte ni une image.</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>Affichage des premiers %1 sur %2.</translation>
    </message>
    <message>
        <source>Not valid JSON (%1 at byte %2): shown as it is.</source>
        <translation>JSON non valide (%1 à l’octet %2) : affiché tel quel.</translation>
    </message>
    <message>
        <source>Only a complete file can be pretty-printed.</source>
        <translation>Seul un fichier complet peut être mis en forme.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
</context>
<context>
    <name>Outpost::App::FilesView</name>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Pas d’aperçu</translation>
    </message>
    <message>
        <source>&amp;Upload files…</source>
        <translation>&amp;Téléverser des fichiers…</translation>
    </message>
    <message>
        <source>Upload &amp;folder…</source>
        <translation>Téléverser un &amp;dossier…</translation>
    </message>
    <message>
        <source>&amp;Download…</source>
        <translation>Téléc&amp;harger…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transfert</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progression</translation>
    </message>
    <message>
        <source>Upload a folder</source>
        <translation>Téléverser un dossier</translation>
    </message>
    <message>
        <source>Download to</source>
        <translation>Télécharger vers</translation>
    </message>
    <message>
        <source>%1 used</source>
        <translation>%1 utilisés</translation>
    </message>
    <message>
        <source>Upload files</source>
        <translation>Téléverser des fichiers</translation>
    </message>
    <message>
        <source>Delete file</source>
        <translation>Supprimer le fichier</translation>
    </message>
    <message>
        <source>Delete %1? This cannot be undone.</source>
        <translation>Supprimer %1 ? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>%p% of %1</source>
        <translation>%p % de %1</translation>
    </message>
    <message>
        <source>↑ %1</source>
        <translation>↑ %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>↓ %1</source>
        <translation>↓ %1</translation>
    </message>
    <message>
        <source>This server does not offer files.</source>
        <translation>Ce serveur ne propose pas de fichiers.</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Transferts</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>&amp;Tout annuler</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>&amp;Effacer les terminés</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Stop the selected transfers; a retry continues where they stopped</source>
        <translation>Arrêter les transferts choisis ; une nouvelle tentative reprend là où ils se sont arrêtés</translation>
    </message>
    <message>
        <source>Start the selected failed or cancelled transfers again</source>
        <translation>Relancer les transferts choisis qui ont échoué ou ont été annulés</translation>
    </message>
    <message>
        <source>Remove the finished transfers from the list</source>
        <translation>Retirer de la liste les transferts terminés</translation>
    </message>
    <message>
        <source>Upload of %1 to %2</source>
        <translation>Téléversement de %1 vers %2</translation>
    </message>
    <message>
        <source>Download of %1 to %2</source>
        <translation>Téléchargement de %1 vers %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Progression de %1</translation>
    </message>
    <message>
        <source>%1 of %2, resumed at %3</source>
        <translation>%1 sur %2, repris à %3</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>Terminé : %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Cancelled at %1</source>
        <translation>Annulé à %1</translation>
    </message>
    <message>
        <source>Drop to upload to the top folder</source>
        <translation>Déposer pour téléverser dans le dossier racine</translation>
    </message>
    <message>
        <source>Drop to upload into %1</source>
        <translation>Déposer pour téléverser dans %1</translation>
    </message>
</context>
<context>
    <name>Outpost::App::HealthMonitor</name>
    <message>
        <source>no answer in time (timeout)</source>
        <translation>pas de réponse à temps (délai dépassé)</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>connexion refusée</translation>
    </message>
    <message>
        <source>server name not found (DNS)</source>
        <translation>nom de serveur introuvable (DNS)</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>le serveur a fermé la connexion</translation>
    </message>
    <message>
        <source>TLS error: the certificate is not trusted</source>
        <translation>erreur TLS : le certificat n’est pas approuvé</translation>
    </message>
    <message>
        <source>network unreachable</source>
        <translation>réseau injoignable</translation>
    </message>
    <message>
        <source>the proxy failed</source>
        <translation>le proxy a échoué</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>pas de réponse</translation>
    </message>
    <message>
        <source>server error (HTTP %1)</source>
        <translation>erreur du serveur (HTTP %1)</translation>
    </message>
    <message>
        <source>unexpected answer (HTTP %1)</source>
        <translation>réponse inattendue (HTTP %1)</translation>
    </message>
</context>
<context>
    <name>Outpost::App::MainWindow</name>
    <message>
        <source>Outpost</source>
        <translation>Outpost</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>Publications</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Connexion</translation>
    </message>
    <message>
        <source>Work &amp;offline on this computer</source>
        <translation>Travailler &amp;hors ligne sur cet ordinateur</translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation>Se &amp;connecter à un serveur…</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Nouveau…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Outpost</source>
        <translation>À &amp;propos d’Outpost</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <source>About Outpost</source>
        <translation>À propos d’Outpost</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Outpost %1&lt;/h3&gt;&lt;p&gt;A self-hosted API service and its admin console.&lt;/p&gt;&lt;p&gt;Revision %2. Built with Qt %3.&lt;/p&gt;&lt;p&gt;Outpost is free software under the MIT licence. It uses Qt (LGPL 3), QtKeychain (BSD), OpenSSL (Apache 2.0), SQLite (public domain) and http-parser (MIT); Swagger UI (Apache 2.0) is bundled with the server.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Outpost %1&lt;/h3&gt;&lt;p&gt;Un service d’API auto-hébergé et sa console d’administration.&lt;/p&gt;&lt;p&gt;Révision %2. Compilé avec Qt %3.&lt;/p&gt;&lt;p&gt;Outpost est un logiciel libre sous licence MIT. Il utilise Qt (LGPL 3), QtKeychain (BSD), OpenSSL (Apache 2.0), SQLite (domaine public) et http-parser (MIT) ; Swagger UI (Apache 2.0) est fourni avec le serveur.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The offline server did not start: %1</source>
        <translation>Le serveur hors ligne n’a pas démarré : %1</translation>
    </message>
    <message>
        <source>Could not sign in to the offline server: %1</source>
        <translation>Connexion au serveur hors ligne impossible : %1</translation>
    </message>
    <message>
        <source>Starting the offline server…</source>
        <translation>Démarrage du serveur hors ligne…</translation>
    </message>
    <message>
        <source>Your session has expired. Use Connection ▸ Connect to a server… to sign in again.</source>
        <translation>Votre session a expiré. Utilisez Connexion ▸ Se connecter à un serveur… pour vous reconnecter.</translation>
    </message>
    <message>
        <source>The server now presents another key than the one you trusted, so nothing more was sent to it.
Trusted: %1
Presented: %2
Someone may be intercepting the connection. Use Connection ▸ Connect to a server… to review the new key.</source>
        <translation>Le serveur présente maintenant une autre clé que celle à laquelle vous avez fait confiance ; plus rien ne lui a été envoyé.
Approuvée : %1
Présentée : %2
Quelqu’un intercepte peut-être la connexion. Utilisez Connexion ▸ Se connecter à un serveur… pour examiner la nouvelle clé.</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Offline (this computer) · %1</source>
        <translation>Hors ligne (cet ordinateur) · %1</translation>
    </message>
    <message>
        <source>Remote · %1</source>
        <translation>Distant · %1</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Connecté en tant que %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● En direct</translation>
    </message>
    <message>
        <source>○ Offline — reconnecting</source>
        <translation>○ Hors ligne — reconnexion</translation>
    </message>
    <message>
        <source>Outpost — this computer</source>
        <translation>Outpost — cet ordinateur</translation>
    </message>
    <message>
        <source>Outpost — %1</source>
        <translation>Outpost — %1</translation>
    </message>
    <message>
        <source>&amp;Admin</source>
        <translation>A&amp;dministration</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Sauvegarder maintenant</translation>
    </message>
    <message>
        <source>Back&amp;ups…</source>
        <translation>Sa&amp;uvegardes…</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <source>Passwords are not remembered on this computer: no keychain found</source>
        <translation>Les mots de passe ne sont pas mémorisés sur cet ordinateur : aucun trousseau trouvé</translation>
    </message>
    <message>
        <source>Sign-ins are kept only until Outpost quits.
Details: %1</source>
        <translation>Les connexions ne sont conservées que jusqu’à la fermeture d’Outpost.
Détails : %1</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Go to…</source>
        <translation>&amp;Aller à…</translation>
    </message>
    <message>
        <source>There is no view for a %1.</source>
        <translation>Aucune vue pour « %1 ».</translation>
    </message>
</context>
<context>
    <name>Outpost::App::Notifier</name>
    <message>
        <source>pipeline %1</source>
        <translation>pipeline %1</translation>
    </message>
    <message>
        <source>Run #%1 of %2 failed</source>
        <translation>L’exécution n° %1 de %2 a échoué</translation>
    </message>
    <message>
        <source>On %1: the run timed out.</source>
        <translation>Sur %1 : l’exécution a dépassé le délai.</translation>
    </message>
    <message>
        <source>On %1: the run ended in failure.</source>
        <translation>Sur %1 : l’exécution s’est terminée en échec.</translation>
    </message>
    <message>
        <source>New account: %1</source>
        <translation>Nouveau compte : %1</translation>
    </message>
    <message>
        <source>On %1: a new user registered.</source>
        <translation>Sur %1 : un nouvel utilisateur s’est inscrit.</translation>
    </message>
    <message>
        <source>A webhook delivery failed</source>
        <translation>Une livraison de webhook a échoué</translation>
    </message>
    <message>
        <source>On %1: %2 could not be delivered (%3).</source>
        <translation>Sur %1 : %2 n’a pas pu être livré (%3).</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PipelinesModel</name>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Dernière exécution</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branche</translation>
    </message>
    <message>
        <source>never run</source>
        <translation>jamais exécuté</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>success</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PipelinesView</name>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Suivre</translation>
    </message>
    <message>
        <source>&amp;Trigger run</source>
        <translation>&amp;Lancer une exécution</translation>
    </message>
    <message>
        <source>&amp;Cancel run</source>
        <translation>&amp;Annuler l’exécution</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>The log of a local run appears here.</source>
        <translation>Le journal d’une exécution locale s’affiche ici.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <source>No log: this run did not run on this server.</source>
        <translation>Pas de journal : cette exécution n’a pas eu lieu sur ce serveur.</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Exécution lancée</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Annuler l’exécution</translation>
    </message>
    <message>
        <source>Stop this run? Stages still running are cancelled.</source>
        <translation>Arrêter cette exécution ? Les étapes encore en cours seront annulées.</translation>
    </message>
    <message>
        <source>Run cancelled</source>
        <translation>Exécution annulée</translation>
    </message>
    <message>
        <source>This server does not offer pipelines.</source>
        <translation>Ce serveur ne propose pas de pipelines.</translation>
    </message>
    <message>
        <source>Select a run to see its stages and log.</source>
        <translation>Sélectionnez une exécution pour voir ses étapes et son journal.</translation>
    </message>
    <message>
        <source>Run log</source>
        <translation>Journal de l’exécution</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Exécutions</translation>
    </message>
    <message>
        <source>R&amp;e-run</source>
        <translation>R&amp;elancer</translation>
    </message>
    <message>
        <source>Run the selected run&apos;s pipeline again</source>
        <translation>Relancer le pipeline de l’exécution choisie</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échouées</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Réussies</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulées</translation>
    </message>
    <message>
        <source>Show only the runs with this status, and the pipelines whose last run has it</source>
        <translation>N’afficher que les exécutions ayant ce statut, et les pipelines dont la dernière exécution l’a</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Statut :</translation>
    </message>
    <message>
        <source>Run #%1 started</source>
        <translation>Exécution nº %1 lancée</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostDialog</name>
    <message>
        <source>&amp;Published</source>
        <translation>&amp;Publié</translation>
    </message>
    <message>
        <source>New post</source>
        <translation>Nouvelle publication</translation>
    </message>
    <message>
        <source>Edit post</source>
        <translation>Modifier la publication</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <source>&amp;Content:</source>
        <translation>&amp;Contenu :</translation>
    </message>
    <message>
        <source>Edit conflict</source>
        <translation>Conflit de modification</translation>
    </message>
    <message>
        <source>Someone else saved this post after you opened it.</source>
        <translation>Quelqu’un d’autre a enregistré cette publication après que vous l’avez ouverte.</translation>
    </message>
    <message>
        <source>Reload to see their version (your changes are lost), or overwrite it with yours.</source>
        <translation>Rechargez pour voir sa version (vos modifications seront perdues), ou remplacez-la par la vôtre.</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recharger</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>R&amp;emplacer</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostEditor</name>
    <message>
        <source>&amp;Published</source>
        <translation>&amp;Publié</translation>
    </message>
    <message>
        <source>&amp;Load their version</source>
        <translation>&amp;Charger leur version</translation>
    </message>
    <message>
        <source>&amp;Overwrite with mine</source>
        <translation>&amp;Écraser avec la mienne</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Text (Markdown)</source>
        <translation>Texte (Markdown)</translation>
    </message>
    <message>
        <source>Edit conflict</source>
        <translation>Conflit de modification</translation>
    </message>
    <message>
        <source>Their changes</source>
        <translation>Leurs modifications</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>Te&amp;xte :</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, [links](https://…), lists</source>
        <translation>Markdown : **gras**, *italique*, [liens](https://…), listes</translation>
    </message>
    <message>
        <source>Someone else saved this post while you are editing it. Saving will show what they changed.</source>
        <translation>Quelqu’un d’autre a enregistré cette publication pendant que vous la modifiez. L’enregistrement montrera ce qui a changé.</translation>
    </message>
    <message>
        <source>Someone else deleted this post while you were editing it.</source>
        <translation>Quelqu’un d’autre a supprimé cette publication pendant que vous la modifiiez.</translation>
    </message>
    <message>
        <source>Title: “%1” → “%2”</source>
        <translation>Titre : « %1 » → « %2 »</translation>
    </message>
    <message>
        <source>They published it.</source>
        <translation>Elle a été publiée.</translation>
    </message>
    <message>
        <source>They unpublished it.</source>
        <translation>Elle a été retirée de la publication.</translation>
    </message>
    <message>
        <source>The text changed (too long to compare here).</source>
        <translation>Le texte a changé (trop long pour être comparé ici).</translation>
    </message>
    <message>
        <source>The text changed:</source>
        <translation>Le texte a changé :</translation>
    </message>
    <message>
        <source>Nothing you can see changed (perhaps only the votes or the owner).</source>
        <translation>Rien de visible n’a changé (peut-être seulement les votes ou le propriétaire).</translation>
    </message>
    <message>
        <source>Someone else saved this post after you started editing it. Load their version (your changes here are lost), or overwrite theirs with yours.</source>
        <translation>Quelqu’un d’autre a enregistré cette publication après que vous avez commencé à la modifier. Chargez leur version (vos modifications ici sont perdues) ou écrasez-la avec la vôtre.</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Abandonner les modifications</translation>
    </message>
    <message>
        <source>Discard your changes to “%1”?</source>
        <translation>Abandonner vos modifications de « %1 » ?</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostReader</name>
    <message>
        <source>Key phrases</source>
        <translation>Expressions clés</translation>
    </message>
    <message>
        <source>Post text</source>
        <translation>Texte de la publication</translation>
    </message>
    <message>
        <source>Select a post to read it here.</source>
        <translation>Sélectionnez une publication pour la lire ici.</translation>
    </message>
    <message>
        <source>By %1</source>
        <translation>Par %1</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>créée le %1</translation>
    </message>
    <message>
        <source>edited %1</source>
        <translation>modifiée le %1</translation>
    </message>
    <message>
        <source>votes: %1</source>
        <translation>votes : %1</translation>
    </message>
    <message>
        <source>published</source>
        <translation>publiée</translation>
    </message>
    <message>
        <source>draft (not published)</source>
        <translation>brouillon (non publiée)</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostsModel</name>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Votes</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Publié</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostsView</name>
    <message>
        <source>&amp;New post…</source>
        <translation>&amp;Nouvelle publication…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>&amp;Publier</translation>
    </message>
    <message>
        <source>&amp;Unpublish</source>
        <translation>&amp;Dépublier</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>&amp;Voter</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Post saved</source>
        <translation>Publication enregistrée</translation>
    </message>
    <message>
        <source>Delete post</source>
        <translation>Supprimer la publication</translation>
    </message>
    <message>
        <source>Delete the post “%1”? This cannot be undone.</source>
        <translation>Supprimer la publication « %1 » ? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>Post deleted</source>
        <translation>Publication supprimée</translation>
    </message>
    <message>
        <source>You have already voted for this post</source>
        <translation>Vous avez déjà voté pour cette publication</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Modifier</translation>
    </message>
    <message>
        <source>Edit the post in the reading pane (F2; Ctrl+S saves, Esc cancels)</source>
        <translation>Modifier la publication dans le volet de lecture (F2 ; Ctrl+S enregistre, Échap annule)</translation>
    </message>
    <message>
        <source>Search posts (Ctrl+F)</source>
        <translation>Rechercher des publications (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Résultats de la recherche</translation>
    </message>
    <message>
        <source>Editing “%1”: Ctrl+S saves, Esc cancels</source>
        <translation>Modification de « %1 » : Ctrl+S enregistre, Échap annule</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>La recherche a échoué : %1</translation>
    </message>
    <message>
        <source>No post matches “%1”.</source>
        <translation>Aucune publication ne correspond à « %1 ».</translation>
    </message>
    <message>
        <source>One post matches “%1”.</source>
        <translation>Une publication correspond à « %1 ».</translation>
    </message>
    <message numerus="yes">
        <source>%n posts match “%1”, best first.</source>
        <translation>
            <numerusform>%n publication correspond à « %1 », la meilleure d’abord.</numerusform>
            <numerusform>%n publications correspondent à « %1 », les meilleures d’abord.</numerusform>
        </translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>Publications</translation>
    </message>
</context>
<context>
    <name>Outpost::App::QuickSwitcher</name>
    <message>
        <source>Go to</source>
        <translation>Aller à</translation>
    </message>
    <message>
        <source>A server, a view or a post title</source>
        <translation>Un serveur, une vue ou un titre de publication</translation>
    </message>
    <message>
        <source>Type part of a server&apos;s name, a view or a post&apos;s title; Enter goes there.</source>
        <translation>Tapez une partie du nom d’un serveur, d’une vue ou du titre d’une publication ; Entrée y mène.</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Vue</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Publication</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>Outpost::App::RunsModel</name>
    <message>
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branche</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Démarré</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SearchField</name>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>Rechercher (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ServersModel</name>
    <message>
        <source>This computer (offline)</source>
        <translation>Cet ordinateur (hors ligne)</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>down: %1</source>
        <translation>hors service : %1</translation>
    </message>
    <message>
        <source>up</source>
        <translation>en service</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>1 failing pipeline</source>
        <translation>1 pipeline en échec</translation>
    </message>
    <message>
        <source>%1 failing pipelines</source>
        <translation>%1 pipelines en échec</translation>
    </message>
    <message>
        <source>%1 (current), %2</source>
        <translation>%1 (actuel), %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>The server on this computer</source>
        <translation>Le serveur de cet ordinateur</translation>
    </message>
    <message>
        <source>%1
Signed in as %2</source>
        <translation>%1
Connecté en tant que %2</translation>
    </message>
    <message>
        <source>Checked at %1</source>
        <translation>Vérifié à %1</translation>
    </message>
    <message>
        <source>Failing pipelines are counted for the server you are signed in to: switch to this one to see its count.</source>
        <translation>Les pipelines en échec sont comptés pour le serveur auquel vous êtes connecté : passez à celui-ci pour voir son nombre.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ServersPanel</name>
    <message>
        <source>&amp;Add a server…</source>
        <translation>&amp;Ajouter un serveur…</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Renommer…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>Re&amp;tirer</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Monter (&amp;U)</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Serveurs</translation>
    </message>
    <message>
        <source>Every server with its health. Enter switches to the selected server; the context menu adds, renames, removes and reorders them.</source>
        <translation>Chaque serveur avec son état. Entrée bascule vers le serveur choisi ; le menu contextuel ajoute, renomme, retire et réordonne les serveurs.</translation>
    </message>
    <message>
        <source>Rename server</source>
        <translation>Renommer le serveur</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <source>Remove server</source>
        <translation>Retirer le serveur</translation>
    </message>
    <message>
        <source>Remove %1 from the list? Its saved sign-in on this computer is forgotten too.</source>
        <translation>Retirer %1 de la liste ? Sa connexion enregistrée sur cet ordinateur est aussi oubliée.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SettingsDialog</name>
    <message>
        <source>&amp;Close to the tray</source>
        <translation>&amp;Fermer dans la zone de notification</translation>
    </message>
    <message>
        <source>A pipeline &amp;run failed</source>
        <translation>Une &amp;exécution de pipeline a échoué</translation>
    </message>
    <message>
        <source>A new &amp;user registered</source>
        <translation>Un nouvel &amp;utilisateur s’est inscrit</translation>
    </message>
    <message>
        <source>A &amp;webhook delivery failed</source>
        <translation>Une livraison de &amp;webhook a échoué</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Suivre le système</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Closing the window keeps Outpost in the tray, watching the servers.</source>
        <translation>Fermer la fenêtre garde Outpost dans la zone de notification, qui surveille les serveurs.</translation>
    </message>
    <message>
        <source>This desktop has no tray.</source>
        <translation>Ce bureau n’a pas de zone de notification.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <source>The language changes the next time Outpost starts.</source>
        <translation>La langue change au prochain démarrage d’Outpost.</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Thème :</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Notifications de bureau</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SsoSignIn</name>
    <message>
        <source>Nothing came back from the web browser in time. Try again, and finish signing in at %1 in the browser window that opens.</source>
        <translation>Le navigateur web n’a rien renvoyé à temps. Réessayez et terminez la connexion avec %1 dans la fenêtre du navigateur qui s’ouvre.</translation>
    </message>
    <message>
        <source>Cannot wait for the browser&apos;s answer on this computer: %1</source>
        <translation>Impossible d’attendre la réponse du navigateur sur cet ordinateur : %1</translation>
    </message>
    <message>
        <source>Could not open a web browser. Open this address in one to sign in: %1</source>
        <translation>Impossible d’ouvrir un navigateur web. Ouvrez cette adresse dans un navigateur pour vous connecter : %1</translation>
    </message>
    <message>
        <source>Single sign-on was cancelled.</source>
        <translation>L’authentification unique a été annulée.</translation>
    </message>
    <message>
        <source>Request too large</source>
        <translation>Requête trop volumineuse</translation>
    </message>
    <message>
        <source>Bad request</source>
        <translation>Requête invalide</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Introuvable</translation>
    </message>
    <message>
        <source>This address only receives Outpost&apos;s single sign-on.</source>
        <translation>Cette adresse ne reçoit que l’authentification unique d’Outpost.</translation>
    </message>
    <message>
        <source>Method not allowed</source>
        <translation>Méthode non autorisée</translation>
    </message>
    <message>
        <source>The provider sent the browser back without an answer.</source>
        <translation>Le fournisseur a renvoyé le navigateur sans réponse.</translation>
    </message>
    <message>
        <source>Signed in to Outpost</source>
        <translation>Connecté à Outpost</translation>
    </message>
    <message>
        <source>You can close this window and go back to Outpost.</source>
        <translation>Vous pouvez fermer cette fenêtre et revenir à Outpost.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Échec de la connexion</translation>
    </message>
    <message>
        <source>%1

You can close this window; Outpost shows what to do next.</source>
        <translation>%1

Vous pouvez fermer cette fenêtre ; Outpost indique la marche à suivre.</translation>
    </message>
    <message>
        <source>Single sign-on with %1 failed: %2</source>
        <translation>L’authentification unique avec %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <source>You are signed out of Outpost. Also sign out of %1?</source>
        <translation>Vous êtes déconnecté d’Outpost. Vous déconnecter aussi de %1 ?</translation>
    </message>
    <message>
        <source>Otherwise the next single sign-on may happen without asking for your password.</source>
        <translation>Sinon, la prochaine authentification unique peut se faire sans demander votre mot de passe.</translation>
    </message>
    <message>
        <source>Sign out of %1</source>
        <translation>Se déconnecter de %1</translation>
    </message>
    <message>
        <source>&amp;Stay signed in there</source>
        <translation>&amp;Rester connecté là-bas</translation>
    </message>
</context>
<context>
    <name>Outpost::App::StageTimeline</name>
    <message>
        <source>Select a run to see its stages</source>
        <translation>Sélectionnez une exécution pour voir ses étapes</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionDialog</name>
    <message>
        <source>&amp;Enabled</source>
        <translation>&amp;Actif</translation>
    </message>
    <message>
        <source>Edit subscription</source>
        <translation>Modifier l’abonnement</translation>
    </message>
    <message>
        <source>New subscription</source>
        <translation>Nouvel abonnement</translation>
    </message>
    <message>
        <source>Webhook (signed HTTP POST)</source>
        <translation>Webhook (POST HTTP signé)</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>e.g. file.* or * (comma-separated)</source>
        <translation>p. ex. file.* ou * (séparés par des virgules)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Créer</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Type :</translation>
    </message>
    <message>
        <source>E&amp;vents:</source>
        <translation>É&amp;vénements :</translation>
    </message>
    <message>
        <source>&amp;Other patterns:</source>
        <translation>&amp;Autres motifs :</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Description :</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse :</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL :</translation>
    </message>
    <message>
        <source>Choose at least one event, or write a pattern such as file.*</source>
        <translation>Choisissez au moins un événement, ou écrivez un motif comme file.*</translation>
    </message>
    <message>
        <source>This is the webhook&apos;s signing secret. Copy it now and keep it with your receiver: it is shown only this once and cannot be read again. (Rotate the secret to get a new one.)</source>
        <translation>Voici le secret de signature du webhook. Copiez-le maintenant et conservez-le auprès de votre récepteur : il n’est affiché que cette fois et ne pourra plus être relu. (Renouvelez le secret pour en obtenir un nouveau.)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionsModel</name>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Actif</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>Dernière livraison</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propriétaire</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>livrée</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échouée</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Non</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucune pour l’instant</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionsView</name>
    <message>
        <source>&amp;New subscription…</source>
        <translation>&amp;Nouvel abonnement…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <source>Send &amp;test</source>
        <translation>Envoyer un &amp;test</translation>
    </message>
    <message>
        <source>Rotate &amp;secret…</source>
        <translation>Renouveler le &amp;secret…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Select a delivery to see the receiver&apos;s answer: its status code, the start of its body and the last error.</source>
        <translation>Sélectionnez une livraison pour voir la réponse du récepteur : son code de statut, le début de son corps et la dernière erreur.</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Livraisons</translation>
    </message>
    <message>
        <source>This server does not offer subscriptions.</source>
        <translation>Ce serveur ne propose pas d’abonnements.</translation>
    </message>
    <message>
        <source>No subscriptions yet. Use “New subscription…” to have events such as post.created or run.* sent to a webhook (a signed HTTP POST) or an e-mail address.</source>
        <translation>Aucun abonnement pour l’instant. Avec « Nouvel abonnement… », des événements comme post.created ou run.* sont envoyés à un webhook (un POST HTTP signé) ou à une adresse e-mail.</translation>
    </message>
    <message>
        <source>Select a subscription to see its deliveries.</source>
        <translation>Sélectionnez un abonnement pour voir ses livraisons.</translation>
    </message>
    <message>
        <source>No deliveries yet. “Send test” sends a ping event to this subscription.</source>
        <translation>Aucune livraison pour l’instant. « Envoyer un test » envoie un événement ping à cet abonnement.</translation>
    </message>
    <message>
        <source>Event: %1</source>
        <translation>Événement : %1</translation>
    </message>
    <message>
        <source>Message id: %1</source>
        <translation>Identifiant du message : %1</translation>
    </message>
    <message>
        <source>Status: %1, attempts: %2</source>
        <translation>Statut : %1, tentatives : %2</translation>
    </message>
    <message>
        <source>The receiver answered HTTP %1 in %2.</source>
        <translation>Le récepteur a répondu HTTP %1 en %2.</translation>
    </message>
    <message>
        <source>The receiver answered HTTP %1.</source>
        <translation>Le récepteur a répondu HTTP %1.</translation>
    </message>
    <message>
        <source>No HTTP answer from the receiver.</source>
        <translation>Aucune réponse HTTP du récepteur.</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Dernière erreur : %1</translation>
    </message>
    <message>
        <source>Next attempt: %1</source>
        <translation>Prochaine tentative : %1</translation>
    </message>
    <message>
        <source>Response body (start):</source>
        <translation>Corps de la réponse (début) :</translation>
    </message>
    <message>
        <source>Webhook subscription created</source>
        <translation>Abonnement webhook créé</translation>
    </message>
    <message>
        <source>Subscription created</source>
        <translation>Abonnement créé</translation>
    </message>
    <message>
        <source>Subscription saved</source>
        <translation>Abonnement enregistré</translation>
    </message>
    <message>
        <source>Delete subscription</source>
        <translation>Supprimer l’abonnement</translation>
    </message>
    <message>
        <source>Delete the subscription to %1? Its pending deliveries are dropped; this cannot be undone.</source>
        <translation>Supprimer l’abonnement vers %1 ? Ses livraisons en attente sont abandonnées ; c’est irréversible.</translation>
    </message>
    <message>
        <source>Subscription deleted</source>
        <translation>Abonnement supprimé</translation>
    </message>
    <message>
        <source>Test event queued</source>
        <translation>Événement de test mis en file</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Renouveler le secret</translation>
    </message>
    <message>
        <source>Give the webhook to %1 a new signing secret? For 24 hours every delivery carries both signatures, the new and the old, so the receiver can switch over.</source>
        <translation>Donner un nouveau secret de signature au webhook vers %1 ? Pendant 24 heures, chaque livraison porte les deux signatures, la nouvelle et l’ancienne, pour que le récepteur puisse basculer.</translation>
    </message>
    <message>
        <source>New signing secret</source>
        <translation>Nouveau secret de signature</translation>
    </message>
    <message>
        <source>Delivery queued again</source>
        <translation>Livraison remise en file</translation>
    </message>
    <message>
        <source>Delivery details</source>
        <translation>Détails de la livraison</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
</context>
<context>
    <name>Outpost::App::TransferQueue</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d’écrire %1 : %2</translation>
    </message>
    <message>
        <source>Upload of %1 failed: %2</source>
        <translation>Échec du téléversement de %1 : %2</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Impossible d’écrire %1</translation>
    </message>
</context>
<context>
    <name>Outpost::App::TrayIcon</name>
    <message>
        <source>Outpost</source>
        <translation>Outpost</translation>
    </message>
    <message>
        <source>Outpost — all servers are up</source>
        <translation>Outpost — tous les serveurs sont en service</translation>
    </message>
    <message>
        <source>Outpost — %1 of %2 servers down</source>
        <translation>Outpost — %1 serveur(s) sur %2 hors service</translation>
    </message>
    <message>
        <source>&amp;Show Outpost</source>
        <translation>&amp;Afficher Outpost</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
</context>
<context>
    <name>Outpost::App::UsersModel</name>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nom d’utilisateur</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actif</translation>
    </message>
</context>
<context>
    <name>Outpost::App::UsersView</name>
    <message>
        <source>Only administrators manage users and API keys.</source>
        <translation>Seuls les administrateurs gèrent les utilisateurs et les clés d’API.</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Nouvel utilisateur…</translation>
    </message>
    <message>
        <source>Make &amp;admin</source>
        <translation>Rendre &amp;administrateur</translation>
    </message>
    <message>
        <source>D&amp;isable</source>
        <translation>Dés&amp;activer</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>&amp;Réinitialiser le mot de passe…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;New API key…</source>
        <translation>&amp;Nouvelle clé d’API…</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Révoquer</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés d’API</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>Rôle modifié</translation>
    </message>
    <message>
        <source>User enabled</source>
        <translation>Utilisateur activé</translation>
    </message>
    <message>
        <source>User disabled</source>
        <translation>Utilisateur désactivé</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>Révoquer la clé d’API</translation>
    </message>
    <message>
        <source>Revoke the key “%1”? Programs using it stop working.</source>
        <translation>Révoquer la clé « %1 » ? Les programmes qui l’utilisent cesseront de fonctionner.</translation>
    </message>
    <message>
        <source>Make &amp;user</source>
        <translation>Rendre &amp;utilisateur</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Activer</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Réinitialiser le mot de passe</translation>
    </message>
    <message>
        <source>New password for %1 (at least 8 characters, not all of one kind):</source>
        <translation>Nouveau mot de passe pour %1 (au moins 8 caractères, pas tous du même type) :</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Mot de passe modifié</translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation>Supprimer l’utilisateur</translation>
    </message>
    <message>
        <source>Delete the user %1 and everything they own? This cannot be undone.</source>
        <translation>Supprimer l’utilisateur %1 et tout ce qui lui appartient ? Cette action est irréversible.</translation>
    </message>
    <message>
        <source>User deleted</source>
        <translation>Utilisateur supprimé</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Nouvel utilisateur</translation>
    </message>
    <message>
        <source>&amp;Administrator</source>
        <translation>&amp;Administrateur</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-mail :</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>Nom d’&amp;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Mot de &amp;passe :</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Utilisateur créé</translation>
    </message>
    <message>
        <source>New API key</source>
        <translation>Nouvelle clé d’API</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>Scopes:</source>
        <translation>Portées :</translation>
    </message>
    <message>
        <source>API key created</source>
        <translation>Clé d’API créée</translation>
    </message>
    <message>
        <source>Copy the key now: it is shown only this once and cannot be read again.</source>
        <translation>Copiez la clé maintenant : elle n’est affichée qu’une seule fois et ne pourra plus être lue.</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiée</translation>
    </message>
    <message>
        <source>The new API key</source>
        <translation>La nouvelle clé d’API</translation>
    </message>
    <message>
        <source>Select a user to see their audit trail.</source>
        <translation>Sélectionnez un utilisateur pour voir son journal d’audit.</translation>
    </message>
    <message>
        <source>Audit trail of the selected user</source>
        <translation>Journal d’audit de l’utilisateur sélectionné</translation>
    </message>
    <message>
        <source>&amp;Audit trail of %1 (newest first):</source>
        <translation>Journal d’&amp;audit de %1 (le plus récent d’abord) :</translation>
    </message>
    <message>
        <source>&amp;Audit trail of user #%1 (newest first):</source>
        <translation>Journal d’&amp;audit de l’utilisateur n° %1 (le plus récent d’abord) :</translation>
    </message>
    <message>
        <source>Users and API keys</source>
        <translation>Utilisateurs et clés d’API</translation>
    </message>
</context>
</TS>
