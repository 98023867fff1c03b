<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Outpost::App::ApiKeysModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Scopes</source>
        <translation>Berechtigungen</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Präfix</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt verwendet</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>Outpost::App::AuditModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Setup token (first administrator)</source>
        <translation>Einrichtungstoken (erster Administrator)</translation>
    </message>
    <message>
        <source>Registration on the server&apos;s computer (first administrator)</source>
        <translation>Registrierung auf dem Computer des Servers (erster Administrator)</translation>
    </message>
    <message>
        <source>Command line (outpost-server)</source>
        <translation>Befehlszeile (outpost-server)</translation>
    </message>
    <message>
        <source>(anonymous)</source>
        <translation>(anonym)</translation>
    </message>
</context>
<context>
    <name>Outpost::App::BackupsDialog</name>
    <message>
        <source>&amp;Back up now</source>
        <translation>Jetzt &amp;sichern</translation>
    </message>
    <message>
        <source>&amp;Download…</source>
        <translation>&amp;Herunterladen …</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sicherungen</translation>
    </message>
    <message>
        <source>Backups are kept in the server&apos;s file store, under backups/. Each one holds the database and the files stored on the server&apos;s disk; restore one with &quot;outpost-server restore --input FILE&quot;.</source>
        <translation>Sicherungen liegen im Dateispeicher des Servers unter backups/. Jede enthält die Datenbank und die Dateien auf dem Datenträger des Servers; zurückspielen lässt sich eine mit „outpost-server restore --input DATEI“.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>This server cannot make backups.</source>
        <translation>Dieser Server kann keine Sicherungen erstellen.</translation>
    </message>
    <message>
        <source>The backups could not be listed.</source>
        <translation>Die Sicherungen konnten nicht aufgelistet werden.</translation>
    </message>
    <message>
        <source>Starting a backup…</source>
        <translation>Sicherung wird gestartet …</translation>
    </message>
    <message>
        <source>The backup could not be started.</source>
        <translation>Die Sicherung konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>Backing up into %1…</source>
        <translation>Sicherung in %1 läuft …</translation>
    </message>
    <message>
        <source>The state of the backup could not be read.</source>
        <translation>Der Stand der Sicherung konnte nicht abgefragt werden.</translation>
    </message>
    <message>
        <source>The backup failed.</source>
        <translation>Die Sicherung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Backup %1 made (%2).</source>
        <translation>Sicherung %1 erstellt (%2).</translation>
    </message>
    <message>
        <source>Save the backup as</source>
        <translation>Sicherung speichern unter</translation>
    </message>
    <message>
        <source>Backups (*.tar.gz)</source>
        <translation>Sicherungen (*.tar.gz)</translation>
    </message>
    <message>
        <source>The backup could not be saved.</source>
        <translation>Die Sicherung konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Downloading %1…</source>
        <translation>%1 wird heruntergeladen …</translation>
    </message>
    <message>
        <source>The backup could not be downloaded.</source>
        <translation>Die Sicherung konnte nicht heruntergeladen werden.</translation>
    </message>
    <message>
        <source>Saved %1 as %2.</source>
        <translation>%1 als %2 gespeichert.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::CommandLine</name>
    <message>
        <source>Outpost admin console: runs an Outpost server on this computer or manages a remote one.</source>
        <translation>Outpost-Verwaltungskonsole: betreibt einen Outpost-Server auf diesem Computer oder verwaltet einen entfernten.</translation>
    </message>
    <message>
        <source>Serve the API without a window (outpost --headless --help lists its options).</source>
        <translation>Die API ohne Fenster bereitstellen (outpost --headless --help zeigt die Optionen dazu).</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ConnectDialog</name>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Work &amp;offline on this computer</source>
        <translation>&amp;Offline auf diesem Computer arbeiten</translation>
    </message>
    <message>
        <source>Open Outpost</source>
        <translation>Outpost öffnen</translation>
    </message>
    <message>
        <source>not needed for a remembered connection</source>
        <translation>bei einer gespeicherten Verbindung nicht nötig</translation>
    </message>
    <message>
        <source>Runs Outpost inside this app, with its data in your user folder. No network and no setup needed.</source>
        <translation>Führt Outpost in dieser App aus, mit den Daten in Ihrem Benutzerordner. Kein Netzwerk und keine Einrichtung nötig.</translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation>Mit einem Server verbinden</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Neue Verbindung</translation>
    </message>
    <message>
        <source>&amp;Recent:</source>
        <translation>&amp;Zuletzt:</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>Server-&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Outpost&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Willkommen bei Outpost&lt;/h2&gt;</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, such as https://outpost.example.com.</source>
        <translation>Geben Sie die Adresse des Servers ein, zum Beispiel https://outpost.example.com.</translation>
    </message>
    <message>
        <source>Enter the email address you sign in with.</source>
        <translation>Geben Sie die E-Mail-Adresse ein, mit der Sie sich anmelden.</translation>
    </message>
    <message>
        <source>Enter your password: no saved sign-in for %1 on this computer.</source>
        <translation>Geben Sie Ihr Passwort ein: Für %1 ist auf diesem Computer keine Anmeldung gespeichert.</translation>
    </message>
    <message>
        <source>The saved sign-in is no longer valid: enter your password.
%1</source>
        <translation>Die gespeicherte Anmeldung ist nicht mehr gültig: Geben Sie Ihr Passwort ein.
%1</translation>
    </message>
    <message>
        <source>Subject: %1
Issuer: %2
Valid: %3 to %4
SHA-256: %5</source>
        <translation>Inhaber: %1
Aussteller: %2
Gültig: %3 bis %4
SHA-256: %5</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Zertifikat nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>The connection to %1 is not secure:
%2</source>
        <translation>Die Verbindung zu %1 ist nicht sicher:
%2</translation>
    </message>
    <message>
        <source>Trust this certificate only if you know it is the server&apos;s own.</source>
        <translation>Vertrauen Sie diesem Zertifikat nur, wenn Sie wissen, dass es das eigene Zertifikat des Servers ist.</translation>
    </message>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation>Diesem Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s certificate was not trusted.</source>
        <translation>Nicht verbunden: Dem Zertifikat des Servers wurde nicht vertraut.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Mit %1 anmelden</translation>
    </message>
    <message>
        <source>This server does not accept passwords here. A remembered connection still signs in.</source>
        <translation>Dieser Server nimmt hier keine Passwörter an. Eine gespeicherte Verbindung meldet sich weiterhin an.</translation>
    </message>
    <message>
        <source>This server does not accept passwords: sign in with single sign-on below. A remembered connection still signs in with Connect.</source>
        <translation>Dieser Server nimmt keine Passwörter an: Melden Sie sich unten mit Single Sign-on an. Eine gespeicherte Verbindung meldet sich weiterhin mit „Verbinden“ an.</translation>
    </message>
    <message>
        <source>On this server only administrators sign in with a password; everyone else signs in with single sign-on below.</source>
        <translation>Auf diesem Server melden sich nur Administratoren mit Passwort an; alle anderen melden sich unten mit Single Sign-on an.</translation>
    </message>
    <message>
        <source>Finish signing in with %1 in your web browser…</source>
        <translation>Schließen Sie die Anmeldung bei %1 in Ihrem Webbrowser ab…</translation>
    </message>
    <message>
        <source>Signed in, but the account could not be read: %1</source>
        <translation>Angemeldet, aber das Konto konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No saved sign-in for %1 on this computer: use single sign-on.</source>
        <translation>Keine gespeicherte Anmeldung für %1 auf diesem Computer: Verwenden Sie Single Sign-on.</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>Serverzertifikat geändert</translation>
    </message>
    <message>
        <source>Not connected: %1 presented a different key than the one you trusted before.</source>
        <translation>Nicht verbunden: %1 hat einen anderen Schlüssel vorgelegt als den, dem Sie zuvor vertraut haben.</translation>
    </message>
    <message>
        <source>Trusted before (SHA-256 of the public key):
%1

Presented now:
%2
Subject: %3, issuer: %4, valid until %5

Someone may be intercepting the connection. Accept the new key only if the server&apos;s administrator replaced its certificate and you can confirm the new fingerprint.</source>
        <translation>Zuvor vertraut (SHA-256 des öffentlichen Schlüssels):
%1

Jetzt vorgelegt:
%2
Antragsteller: %3, Aussteller: %4, gültig bis %5

Möglicherweise wird die Verbindung abgefangen. Akzeptieren Sie den neuen Schlüssel nur, wenn der Administrator des Servers sein Zertifikat ersetzt hat und Sie den neuen Fingerabdruck bestätigen können.</translation>
    </message>
    <message>
        <source>&amp;Accept the new key</source>
        <translation>Neuen Schlüssel &amp;akzeptieren</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s key changed and was not accepted.</source>
        <translation>Nicht verbunden: Der Schlüssel des Servers hat sich geändert und wurde nicht akzeptiert.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::DashboardView</name>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 Min. %2 s</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>Uptime:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>File store:</source>
        <translation>Dateispeicher:</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Users:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Posts:</source>
        <translation>Beiträge:</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>Dateien:</translation>
    </message>
    <message>
        <source>Pipelines:</source>
        <translation>Pipelines:</translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>p95 latency (ms)</source>
        <translation>p95-Latenz (ms)</translation>
    </message>
    <message>
        <source>Recent audit entries</source>
        <translation>Neueste Protokolleinträge</translation>
    </message>
    <message>
        <source>(server details are for administrators)</source>
        <translation>(Serverdetails nur für Administratoren)</translation>
    </message>
    <message>
        <source>%1, schema version %2</source>
        <translation>%1, Schemaversion %2</translation>
    </message>
    <message>
        <source>%1 d %2 h %3 min</source>
        <translation>%1 T. %2 Std. %3 Min.</translation>
    </message>
    <message>
        <source>%1 h %2 min %3 s</source>
        <translation>%1 Std. %2 Min. %3 s</translation>
    </message>
    <message>
        <source>Chart window</source>
        <translation>Zeitraum der Diagramme</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Zeigen:</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Gestartet %1</translation>
    </message>
    <message>
        <source>Server errors (5xx, % of answers)</source>
        <translation>Serverfehler (5xx, % der Antworten)</translation>
    </message>
    <message>
        <source>Kept by this app for 24 hours, also across restarts (every second while the dashboard is shown).</source>
        <translation>Von dieser App 24 Stunden lang aufbewahrt, auch über Neustarts hinweg (jede Sekunde, solange die Übersicht angezeigt wird).</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the entry&apos;s object</source>
        <translation>Doppelklicken oder Eingabe drücken, um das Objekt des Eintrags zu öffnen</translation>
    </message>
    <message>
        <source>Failing pipelines</source>
        <translation>Fehlschlagende Pipelines</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the failed run</source>
        <translation>Doppelklicken oder Eingabe drücken, um den fehlgeschlagenen Lauf zu öffnen</translation>
    </message>
    <message>
        <source>✗ %1 — run #%2 timed out %3</source>
        <translation>✗ %1 – Lauf #%2 hat das Zeitlimit überschritten, %3</translation>
    </message>
    <message>
        <source>✗ %1 — run #%2 failed %3</source>
        <translation>✗ %1 – Lauf #%2 fehlgeschlagen, %3</translation>
    </message>
    <message>
        <source>No failing pipelines.</source>
        <translation>Keine fehlschlagenden Pipelines.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::DeliveriesModel</name>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Nächster Versuch</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
</context>
<context>
    <name>Outpost::App::FilePreview</name>
    <message>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
    <message>
        <source>This image is too large to preview (%1).</source>
        <translation>Dieses Bild ist für eine Vorschau zu groß (%1).</translation>
    </message>
    <message>
        <source>Loading the preview…</source>
        <translation>Vorschau wird geladen …</translation>
    </message>
    <message>
        <source>This image could not be read.</source>
        <translation>Dieses Bild konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <source>No preview: this file is not text or an image.</source>
        <translation>Keine Vorschau: Diese Datei ist weder Text noch ein Bild.</translation>
    </message>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>Angezeigt werden die ersten %1 von %2.</translation>
    </message>
    <message>
        <source>Not valid JSON (%1 at byte %2): shown as it is.</source>
        <translation>Kein gültiges JSON (%1 bei Byte %2): unverändert angezeigt.</translation>
    </message>
    <message>
        <source>Only a complete file can be pretty-printed.</source>
        <translation>Nur eine vollständige Datei kann formatiert werden.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
</context>
<context>
    <name>Outpost::App::FilesView</name>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
    <message>
        <source>&amp;Upload files…</source>
        <translation>Dateien &amp;hochladen …</translation>
    </message>
    <message>
        <source>Upload &amp;folder…</source>
        <translation>&amp;Ordner hochladen …</translation>
    </message>
    <message>
        <source>&amp;Download…</source>
        <translation>&amp;Herunterladen …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Upload a folder</source>
        <translation>Ordner hochladen</translation>
    </message>
    <message>
        <source>Download to</source>
        <translation>Herunterladen nach</translation>
    </message>
    <message>
        <source>%1 used</source>
        <translation>%1 belegt</translation>
    </message>
    <message>
        <source>Upload files</source>
        <translation>Dateien hochladen</translation>
    </message>
    <message>
        <source>Delete file</source>
        <translation>Datei löschen</translation>
    </message>
    <message>
        <source>Delete %1? This cannot be undone.</source>
        <translation>%1 löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>%p% of %1</source>
        <translation>%p % von %1</translation>
    </message>
    <message>
        <source>↑ %1</source>
        <translation>↑ %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>↓ %1</source>
        <translation>↓ %1</translation>
    </message>
    <message>
        <source>This server does not offer files.</source>
        <translation>Dieser Server bietet keine Dateien an.</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Transfers</source>
        <translation>Übertragungen</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Cancel &amp;all</source>
        <translation>Alle a&amp;bbrechen</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>Abgeschlossene &amp;entfernen</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Stop the selected transfers; a retry continues where they stopped</source>
        <translation>Die gewählten Übertragungen anhalten; ein neuer Versuch setzt dort fort, wo sie aufgehört haben</translation>
    </message>
    <message>
        <source>Start the selected failed or cancelled transfers again</source>
        <translation>Die gewählten fehlgeschlagenen oder abgebrochenen Übertragungen erneut starten</translation>
    </message>
    <message>
        <source>Remove the finished transfers from the list</source>
        <translation>Die abgeschlossenen Übertragungen aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Upload of %1 to %2</source>
        <translation>Hochladen von %1 nach %2</translation>
    </message>
    <message>
        <source>Download of %1 to %2</source>
        <translation>Herunterladen von %1 nach %2</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>%1 of %2, resumed at %3</source>
        <translation>%1 von %2, fortgesetzt bei %3</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Done: %1</source>
        <translation>Fertig: %1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled at %1</source>
        <translation>Abgebrochen bei %1</translation>
    </message>
    <message>
        <source>Drop to upload to the top folder</source>
        <translation>Ablegen, um in den obersten Ordner hochzuladen</translation>
    </message>
    <message>
        <source>Drop to upload into %1</source>
        <translation>Ablegen, um nach %1 hochzuladen</translation>
    </message>
</context>
<context>
    <name>Outpost::App::HealthMonitor</name>
    <message>
        <source>no answer in time (timeout)</source>
        <translation>keine Antwort in der Zeit (Zeitüberschreitung)</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>server name not found (DNS)</source>
        <translation>Servername nicht gefunden (DNS)</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>der Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>TLS error: the certificate is not trusted</source>
        <translation>TLS-Fehler: dem Zertifikat wird nicht vertraut</translation>
    </message>
    <message>
        <source>network unreachable</source>
        <translation>Netzwerk nicht erreichbar</translation>
    </message>
    <message>
        <source>the proxy failed</source>
        <translation>der Proxy ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>server error (HTTP %1)</source>
        <translation>Serverfehler (HTTP %1)</translation>
    </message>
    <message>
        <source>unexpected answer (HTTP %1)</source>
        <translation>unerwartete Antwort (HTTP %1)</translation>
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
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>Beiträge</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <source>Work &amp;offline on this computer</source>
        <translation>&amp;Offline auf diesem Computer arbeiten</translation>
    </message>
    <message>
        <source>&amp;Connect to a server…</source>
        <translation>Mit einem Server &amp;verbinden …</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Neu …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Outpost</source>
        <translation>Ü&amp;ber Outpost</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>About Outpost</source>
        <translation>Über Outpost</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Outpost %1&lt;/h3&gt;&lt;p&gt;A self-hosted API service and its admin console.&lt;/p&gt;&lt;p&gt;Revision %2. Built with Qt %3.&lt;/p&gt;&lt;p&gt;Outpost is free software under the MIT licence. It uses Qt (LGPL 3), QtKeychain (BSD), OpenSSL (Apache 2.0), SQLite (public domain) and http-parser (MIT); Swagger UI (Apache 2.0) is bundled with the server.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Outpost %1&lt;/h3&gt;&lt;p&gt;Ein selbst betriebener API-Dienst und seine Verwaltungskonsole.&lt;/p&gt;&lt;p&gt;Revision %2. Erstellt mit Qt %3.&lt;/p&gt;&lt;p&gt;Outpost ist freie Software unter der MIT-Lizenz. Es verwendet Qt (LGPL 3), QtKeychain (BSD), OpenSSL (Apache 2.0), SQLite (gemeinfrei) und http-parser (MIT); Swagger UI (Apache 2.0) liegt dem Server bei.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The offline server did not start: %1</source>
        <translation>Der Offline-Server ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>Could not sign in to the offline server: %1</source>
        <translation>Anmeldung am Offline-Server fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Starting the offline server…</source>
        <translation>Offline-Server wird gestartet …</translation>
    </message>
    <message>
        <source>Your session has expired. Use Connection ▸ Connect to a server… to sign in again.</source>
        <translation>Ihre Sitzung ist abgelaufen. Melden Sie sich über Verbindung ▸ Mit einem Server verbinden … erneut an.</translation>
    </message>
    <message>
        <source>The server now presents another key than the one you trusted, so nothing more was sent to it.
Trusted: %1
Presented: %2
Someone may be intercepting the connection. Use Connection ▸ Connect to a server… to review the new key.</source>
        <translation>Der Server zeigt jetzt einen anderen Schlüssel als den, dem Sie vertraut haben; es wurde nichts mehr an ihn gesendet.
Vertraut: %1
Jetzt: %2
Möglicherweise wird die Verbindung abgehört. Prüfen Sie den neuen Schlüssel über Verbindung ▸ Mit einem Server verbinden ….</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Offline (this computer) · %1</source>
        <translation>Offline (dieser Computer) · %1</translation>
    </message>
    <message>
        <source>Remote · %1</source>
        <translation>Entfernt · %1</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Angemeldet als %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>● Live</source>
        <translation>● Live</translation>
    </message>
    <message>
        <source>○ Offline — reconnecting</source>
        <translation>○ Offline – Verbindung wird wiederhergestellt</translation>
    </message>
    <message>
        <source>Outpost — this computer</source>
        <translation>Outpost – dieser Computer</translation>
    </message>
    <message>
        <source>Outpost — %1</source>
        <translation>Outpost – %1</translation>
    </message>
    <message>
        <source>&amp;Admin</source>
        <translation>Ver&amp;waltung</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>Jetzt &amp;sichern</translation>
    </message>
    <message>
        <source>Back&amp;ups…</source>
        <translation>Sicherun&amp;gen …</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>Abonnements</translation>
    </message>
    <message>
        <source>Passwords are not remembered on this computer: no keychain found</source>
        <translation>Passwörter werden auf diesem Computer nicht gespeichert: kein Schlüsselbund gefunden</translation>
    </message>
    <message>
        <source>Sign-ins are kept only until Outpost quits.
Details: %1</source>
        <translation>Anmeldungen bleiben nur erhalten, bis Outpost beendet wird.
Einzelheiten: %1</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Go to…</source>
        <translation>&amp;Gehe zu …</translation>
    </message>
    <message>
        <source>There is no view for a %1.</source>
        <translation>Für „%1“ gibt es keine Ansicht.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::Notifier</name>
    <message>
        <source>pipeline %1</source>
        <translation>Pipeline %1</translation>
    </message>
    <message>
        <source>Run #%1 of %2 failed</source>
        <translation>Lauf #%1 von %2 fehlgeschlagen</translation>
    </message>
    <message>
        <source>On %1: the run timed out.</source>
        <translation>Auf %1: Zeitüberschreitung des Laufs.</translation>
    </message>
    <message>
        <source>On %1: the run ended in failure.</source>
        <translation>Auf %1: der Lauf ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>New account: %1</source>
        <translation>Neues Konto: %1</translation>
    </message>
    <message>
        <source>On %1: a new user registered.</source>
        <translation>Auf %1: ein neuer Benutzer hat sich registriert.</translation>
    </message>
    <message>
        <source>A webhook delivery failed</source>
        <translation>Eine Webhook-Zustellung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>On %1: %2 could not be delivered (%3).</source>
        <translation>Auf %1: %2 konnte nicht zugestellt werden (%3).</translation>
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
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Letzter Lauf</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>never run</source>
        <translation>nie gelaufen</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>success</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PipelinesView</name>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Mitverfolgen</translation>
    </message>
    <message>
        <source>&amp;Trigger run</source>
        <translation>Lauf &amp;starten</translation>
    </message>
    <message>
        <source>&amp;Cancel run</source>
        <translation>Lauf &amp;abbrechen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>The log of a local run appears here.</source>
        <translation>Hier erscheint das Protokoll eines lokalen Laufs.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>No log: this run did not run on this server.</source>
        <translation>Kein Protokoll: Dieser Lauf lief nicht auf diesem Server.</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Lauf gestartet</translation>
    </message>
    <message>
        <source>Cancel run</source>
        <translation>Lauf abbrechen</translation>
    </message>
    <message>
        <source>Stop this run? Stages still running are cancelled.</source>
        <translation>Diesen Lauf stoppen? Noch laufende Phasen werden abgebrochen.</translation>
    </message>
    <message>
        <source>Run cancelled</source>
        <translation>Lauf abgebrochen</translation>
    </message>
    <message>
        <source>This server does not offer pipelines.</source>
        <translation>Dieser Server bietet keine Pipelines an.</translation>
    </message>
    <message>
        <source>Select a run to see its stages and log.</source>
        <translation>Wählen Sie einen Lauf, um seine Phasen und sein Protokoll zu sehen.</translation>
    </message>
    <message>
        <source>Run log</source>
        <translation>Protokoll des Laufs</translation>
    </message>
    <message>
        <source>Pipelines</source>
        <translation>Pipelines</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>R&amp;e-run</source>
        <translation>&amp;Erneut ausführen</translation>
    </message>
    <message>
        <source>Run the selected run&apos;s pipeline again</source>
        <translation>Die Pipeline des gewählten Laufs erneut ausführen</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Show only the runs with this status, and the pipelines whose last run has it</source>
        <translation>Nur die Läufe mit diesem Status zeigen und die Pipelines, deren letzter Lauf ihn hat</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>Stat&amp;us:</translation>
    </message>
    <message>
        <source>Run #%1 started</source>
        <translation>Lauf #%1 gestartet</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostDialog</name>
    <message>
        <source>&amp;Published</source>
        <translation>&amp;Veröffentlicht</translation>
    </message>
    <message>
        <source>New post</source>
        <translation>Neuer Beitrag</translation>
    </message>
    <message>
        <source>Edit post</source>
        <translation>Beitrag bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>&amp;Content:</source>
        <translation>&amp;Inhalt:</translation>
    </message>
    <message>
        <source>Edit conflict</source>
        <translation>Bearbeitungskonflikt</translation>
    </message>
    <message>
        <source>Someone else saved this post after you opened it.</source>
        <translation>Jemand anderes hat diesen Beitrag gespeichert, nachdem Sie ihn geöffnet haben.</translation>
    </message>
    <message>
        <source>Reload to see their version (your changes are lost), or overwrite it with yours.</source>
        <translation>Laden Sie neu, um deren Fassung zu sehen (Ihre Änderungen gehen verloren), oder überschreiben Sie sie mit Ihrer.</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>&amp;Overwrite</source>
        <translation>Ü&amp;berschreiben</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostEditor</name>
    <message>
        <source>&amp;Published</source>
        <translation>&amp;Veröffentlicht</translation>
    </message>
    <message>
        <source>&amp;Load their version</source>
        <translation>Deren Version &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Overwrite with mine</source>
        <translation>Mit meiner &amp;überschreiben</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Text (Markdown)</source>
        <translation>Text (Markdown)</translation>
    </message>
    <message>
        <source>Edit conflict</source>
        <translation>Bearbeitungskonflikt</translation>
    </message>
    <message>
        <source>Their changes</source>
        <translation>Deren Änderungen</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>Te&amp;xt:</translation>
    </message>
    <message>
        <source>Markdown: **bold**, *italic*, [links](https://…), lists</source>
        <translation>Markdown: **fett**, *kursiv*, [Links](https://…), Listen</translation>
    </message>
    <message>
        <source>Someone else saved this post while you are editing it. Saving will show what they changed.</source>
        <translation>Jemand anderes hat diesen Beitrag gespeichert, während Sie ihn bearbeiten. Beim Speichern sehen Sie, was geändert wurde.</translation>
    </message>
    <message>
        <source>Someone else deleted this post while you were editing it.</source>
        <translation>Jemand anderes hat diesen Beitrag gelöscht, während Sie ihn bearbeitet haben.</translation>
    </message>
    <message>
        <source>Title: “%1” → “%2”</source>
        <translation>Titel: „%1“ → „%2“</translation>
    </message>
    <message>
        <source>They published it.</source>
        <translation>Der Beitrag wurde veröffentlicht.</translation>
    </message>
    <message>
        <source>They unpublished it.</source>
        <translation>Die Veröffentlichung wurde zurückgenommen.</translation>
    </message>
    <message>
        <source>The text changed (too long to compare here).</source>
        <translation>Der Text wurde geändert (zu lang für einen Vergleich hier).</translation>
    </message>
    <message>
        <source>The text changed:</source>
        <translation>Der Text wurde geändert:</translation>
    </message>
    <message>
        <source>Nothing you can see changed (perhaps only the votes or the owner).</source>
        <translation>Sichtbar hat sich nichts geändert (vielleicht nur die Stimmen oder der Eigentümer).</translation>
    </message>
    <message>
        <source>Someone else saved this post after you started editing it. Load their version (your changes here are lost), or overwrite theirs with yours.</source>
        <translation>Jemand anderes hat diesen Beitrag gespeichert, nachdem Sie mit der Bearbeitung begonnen haben. Laden Sie deren Version (Ihre Änderungen hier gehen verloren) oder überschreiben Sie sie mit Ihrer.</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Discard your changes to “%1”?</source>
        <translation>Ihre Änderungen an „%1“ verwerfen?</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostReader</name>
    <message>
        <source>Key phrases</source>
        <translation>Schlüsselbegriffe</translation>
    </message>
    <message>
        <source>Post text</source>
        <translation>Text des Beitrags</translation>
    </message>
    <message>
        <source>Select a post to read it here.</source>
        <translation>Wählen Sie einen Beitrag, um ihn hier zu lesen.</translation>
    </message>
    <message>
        <source>By %1</source>
        <translation>Von %1</translation>
    </message>
    <message>
        <source>created %1</source>
        <translation>erstellt %1</translation>
    </message>
    <message>
        <source>edited %1</source>
        <translation>bearbeitet %1</translation>
    </message>
    <message>
        <source>votes: %1</source>
        <translation>Stimmen: %1</translation>
    </message>
    <message>
        <source>published</source>
        <translation>veröffentlicht</translation>
    </message>
    <message>
        <source>draft (not published)</source>
        <translation>Entwurf (nicht veröffentlicht)</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostsModel</name>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Besitzer</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Stimmen</translation>
    </message>
    <message>
        <source>Published</source>
        <translation>Veröffentlicht</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
</context>
<context>
    <name>Outpost::App::PostsView</name>
    <message>
        <source>&amp;New post…</source>
        <translation>&amp;Neuer Beitrag …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>&amp;Veröffentlichen</translation>
    </message>
    <message>
        <source>&amp;Unpublish</source>
        <translation>&amp;Zurückziehen</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>&amp;Abstimmen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Post saved</source>
        <translation>Beitrag gespeichert</translation>
    </message>
    <message>
        <source>Delete post</source>
        <translation>Beitrag löschen</translation>
    </message>
    <message>
        <source>Delete the post “%1”? This cannot be undone.</source>
        <translation>Den Beitrag „%1“ löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Post deleted</source>
        <translation>Beitrag gelöscht</translation>
    </message>
    <message>
        <source>You have already voted for this post</source>
        <translation>Sie haben für diesen Beitrag bereits abgestimmt</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>Edit the post in the reading pane (F2; Ctrl+S saves, Esc cancels)</source>
        <translation>Den Beitrag im Lesebereich bearbeiten (F2; Strg+S speichert, Esc bricht ab)</translation>
    </message>
    <message>
        <source>Search posts (Ctrl+F)</source>
        <translation>Beiträge durchsuchen (Strg+F)</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Editing “%1”: Ctrl+S saves, Esc cancels</source>
        <translation>„%1“ wird bearbeitet: Strg+S speichert, Esc bricht ab</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft …</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>Die Suche ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>No post matches “%1”.</source>
        <translation>Kein Beitrag passt zu „%1“.</translation>
    </message>
    <message>
        <source>One post matches “%1”.</source>
        <translation>Ein Beitrag passt zu „%1“.</translation>
    </message>
    <message numerus="yes">
        <source>%n posts match “%1”, best first.</source>
        <translation>
            <numerusform>%n Beitrag passt zu „%1“, bester zuerst.</numerusform>
            <numerusform>%n Beiträge passen zu „%1“, beste zuerst.</numerusform>
        </translation>
    </message>
    <message>
        <source>Posts</source>
        <translation>Beiträge</translation>
    </message>
</context>
<context>
    <name>Outpost::App::QuickSwitcher</name>
    <message>
        <source>Go to</source>
        <translation>Gehe zu</translation>
    </message>
    <message>
        <source>A server, a view or a post title</source>
        <translation>Ein Server, eine Ansicht oder ein Beitragstitel</translation>
    </message>
    <message>
        <source>Type part of a server&apos;s name, a view or a post&apos;s title; Enter goes there.</source>
        <translation>Geben Sie einen Teil eines Servernamens, einer Ansicht oder eines Beitragstitels ein; Eingabe springt dorthin.</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Beitrag</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>Outpost::App::RunsModel</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SearchField</name>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>Suchen (Strg+F)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ServersModel</name>
    <message>
        <source>This computer (offline)</source>
        <translation>Dieser Computer (offline)</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft …</translation>
    </message>
    <message>
        <source>not running</source>
        <translation>läuft nicht</translation>
    </message>
    <message>
        <source>down: %1</source>
        <translation>nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>up</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>1 failing pipeline</source>
        <translation>1 fehlschlagende Pipeline</translation>
    </message>
    <message>
        <source>%1 failing pipelines</source>
        <translation>%1 fehlschlagende Pipelines</translation>
    </message>
    <message>
        <source>%1 (current), %2</source>
        <translation>%1 (aktuell), %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>The server on this computer</source>
        <translation>Der Server auf diesem Computer</translation>
    </message>
    <message>
        <source>%1
Signed in as %2</source>
        <translation>%1
Angemeldet als %2</translation>
    </message>
    <message>
        <source>Checked at %1</source>
        <translation>Geprüft um %1</translation>
    </message>
    <message>
        <source>Failing pipelines are counted for the server you are signed in to: switch to this one to see its count.</source>
        <translation>Fehlschlagende Pipelines werden für den Server gezählt, bei dem Sie angemeldet sind: Wechseln Sie zu diesem, um seine Anzahl zu sehen.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::ServersPanel</name>
    <message>
        <source>&amp;Add a server…</source>
        <translation>Server &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen …</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Every server with its health. Enter switches to the selected server; the context menu adds, renames, removes and reorders them.</source>
        <translation>Alle Server mit ihrem Zustand. Eingabe wechselt zum ausgewählten Server; das Kontextmenü fügt Server hinzu, benennt sie um, entfernt sie und ändert ihre Reihenfolge.</translation>
    </message>
    <message>
        <source>Rename server</source>
        <translation>Server umbenennen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Remove server</source>
        <translation>Server entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from the list? Its saved sign-in on this computer is forgotten too.</source>
        <translation>%1 aus der Liste entfernen? Die auf diesem Computer gespeicherte Anmeldung wird ebenfalls vergessen.</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SettingsDialog</name>
    <message>
        <source>&amp;Close to the tray</source>
        <translation>Beim Schließen in den &amp;Infobereich</translation>
    </message>
    <message>
        <source>A pipeline &amp;run failed</source>
        <translation>Ein Pipeline-&amp;Lauf ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>A new &amp;user registered</source>
        <translation>Ein neuer &amp;Benutzer hat sich registriert</translation>
    </message>
    <message>
        <source>A &amp;webhook delivery failed</source>
        <translation>Eine &amp;Webhook-Zustellung ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Closing the window keeps Outpost in the tray, watching the servers.</source>
        <translation>Beim Schließen des Fensters bleibt Outpost im Infobereich und überwacht die Server.</translation>
    </message>
    <message>
        <source>This desktop has no tray.</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>The language changes the next time Outpost starts.</source>
        <translation>Die Sprache ändert sich beim nächsten Start von Outpost.</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Design:</translation>
    </message>
    <message>
        <source>Desktop notifications</source>
        <translation>Desktop-Benachrichtigungen</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SsoSignIn</name>
    <message>
        <source>Nothing came back from the web browser in time. Try again, and finish signing in at %1 in the browser window that opens.</source>
        <translation>Vom Webbrowser kam rechtzeitig keine Antwort. Versuchen Sie es erneut und schließen Sie die Anmeldung bei %1 im sich öffnenden Browserfenster ab.</translation>
    </message>
    <message>
        <source>Cannot wait for the browser&apos;s answer on this computer: %1</source>
        <translation>Auf diesem Computer kann nicht auf die Antwort des Browsers gewartet werden: %1</translation>
    </message>
    <message>
        <source>Could not open a web browser. Open this address in one to sign in: %1</source>
        <translation>Es konnte kein Webbrowser geöffnet werden. Öffnen Sie diese Adresse in einem Browser, um sich anzumelden: %1</translation>
    </message>
    <message>
        <source>Single sign-on was cancelled.</source>
        <translation>Single Sign-on wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Request too large</source>
        <translation>Anfrage zu groß</translation>
    </message>
    <message>
        <source>Bad request</source>
        <translation>Ungültige Anfrage</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>This address only receives Outpost&apos;s single sign-on.</source>
        <translation>Diese Adresse empfängt nur das Single Sign-on von Outpost.</translation>
    </message>
    <message>
        <source>Method not allowed</source>
        <translation>Methode nicht erlaubt</translation>
    </message>
    <message>
        <source>The provider sent the browser back without an answer.</source>
        <translation>Der Anbieter hat den Browser ohne Antwort zurückgeschickt.</translation>
    </message>
    <message>
        <source>Signed in to Outpost</source>
        <translation>Bei Outpost angemeldet</translation>
    </message>
    <message>
        <source>You can close this window and go back to Outpost.</source>
        <translation>Sie können dieses Fenster schließen und zu Outpost zurückkehren.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1

You can close this window; Outpost shows what to do next.</source>
        <translation>%1

Sie können dieses Fenster schließen; Outpost zeigt, wie es weitergeht.</translation>
    </message>
    <message>
        <source>Single sign-on with %1 failed: %2</source>
        <translation>Single Sign-on mit %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Signed out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <source>You are signed out of Outpost. Also sign out of %1?</source>
        <translation>Sie sind von Outpost abgemeldet. Auch von %1 abmelden?</translation>
    </message>
    <message>
        <source>Otherwise the next single sign-on may happen without asking for your password.</source>
        <translation>Sonst kann die nächste Single-Sign-on-Anmeldung ohne Frage nach Ihrem Passwort erfolgen.</translation>
    </message>
    <message>
        <source>Sign out of %1</source>
        <translation>Von %1 abmelden</translation>
    </message>
    <message>
        <source>&amp;Stay signed in there</source>
        <translation>Dort angemeldet &amp;bleiben</translation>
    </message>
</context>
<context>
    <name>Outpost::App::StageTimeline</name>
    <message>
        <source>Select a run to see its stages</source>
        <translation>Wählen Sie einen Lauf, um seine Phasen zu sehen</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionDialog</name>
    <message>
        <source>&amp;Enabled</source>
        <translation>&amp;Aktiv</translation>
    </message>
    <message>
        <source>Edit subscription</source>
        <translation>Abonnement bearbeiten</translation>
    </message>
    <message>
        <source>New subscription</source>
        <translation>Neues Abonnement</translation>
    </message>
    <message>
        <source>Webhook (signed HTTP POST)</source>
        <translation>Webhook (signierter HTTP-POST)</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>e.g. file.* or * (comma-separated)</source>
        <translation>z. B. file.* oder * (durch Kommas getrennt)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>E&amp;vents:</source>
        <translation>E&amp;reignisse:</translation>
    </message>
    <message>
        <source>&amp;Other patterns:</source>
        <translation>&amp;Weitere Muster:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adresse:</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>Choose at least one event, or write a pattern such as file.*</source>
        <translation>Wählen Sie mindestens ein Ereignis oder schreiben Sie ein Muster wie file.*</translation>
    </message>
    <message>
        <source>This is the webhook&apos;s signing secret. Copy it now and keep it with your receiver: it is shown only this once and cannot be read again. (Rotate the secret to get a new one.)</source>
        <translation>Das ist das Signaturgeheimnis des Webhooks. Kopieren Sie es jetzt und hinterlegen Sie es bei Ihrem Empfänger: Es wird nur dieses eine Mal angezeigt und kann nicht wieder gelesen werden. (Ein neues erhalten Sie mit „Geheimnis erneuern“.)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionsModel</name>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>Letzte Zustellung</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Besitzer</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ja</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nein</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
</context>
<context>
    <name>Outpost::App::SubscriptionsView</name>
    <message>
        <source>&amp;New subscription…</source>
        <translation>&amp;Neues Abonnement …</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <source>Send &amp;test</source>
        <translation>&amp;Test senden</translation>
    </message>
    <message>
        <source>Rotate &amp;secret…</source>
        <translation>&amp;Geheimnis erneuern …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Re&amp;try</source>
        <translation>&amp;Erneut senden</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Select a delivery to see the receiver&apos;s answer: its status code, the start of its body and the last error.</source>
        <translation>Wählen Sie eine Zustellung, um die Antwort des Empfängers zu sehen: Statuscode, Anfang des Inhalts und den letzten Fehler.</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Zustellungen</translation>
    </message>
    <message>
        <source>This server does not offer subscriptions.</source>
        <translation>Dieser Server bietet keine Abonnements an.</translation>
    </message>
    <message>
        <source>No subscriptions yet. Use “New subscription…” to have events such as post.created or run.* sent to a webhook (a signed HTTP POST) or an e-mail address.</source>
        <translation>Noch keine Abonnements. Mit „Neues Abonnement …“ lassen Sie Ereignisse wie post.created oder run.* an einen Webhook (einen signierten HTTP-POST) oder eine E-Mail-Adresse senden.</translation>
    </message>
    <message>
        <source>Select a subscription to see its deliveries.</source>
        <translation>Wählen Sie ein Abonnement, um seine Zustellungen zu sehen.</translation>
    </message>
    <message>
        <source>No deliveries yet. “Send test” sends a ping event to this subscription.</source>
        <translation>Noch keine Zustellungen. „Test senden“ schickt diesem Abonnement ein ping-Ereignis.</translation>
    </message>
    <message>
        <source>Event: %1</source>
        <translation>Ereignis: %1</translation>
    </message>
    <message>
        <source>Message id: %1</source>
        <translation>Nachrichten-ID: %1</translation>
    </message>
    <message>
        <source>Status: %1, attempts: %2</source>
        <translation>Status: %1, Versuche: %2</translation>
    </message>
    <message>
        <source>The receiver answered HTTP %1 in %2.</source>
        <translation>Der Empfänger antwortete mit HTTP %1 nach %2.</translation>
    </message>
    <message>
        <source>The receiver answered HTTP %1.</source>
        <translation>Der Empfänger antwortete mit HTTP %1.</translation>
    </message>
    <message>
        <source>No HTTP answer from the receiver.</source>
        <translation>Keine HTTP-Antwort vom Empfänger.</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <source>Next attempt: %1</source>
        <translation>Nächster Versuch: %1</translation>
    </message>
    <message>
        <source>Response body (start):</source>
        <translation>Antwortinhalt (Anfang):</translation>
    </message>
    <message>
        <source>Webhook subscription created</source>
        <translation>Webhook-Abonnement angelegt</translation>
    </message>
    <message>
        <source>Subscription created</source>
        <translation>Abonnement angelegt</translation>
    </message>
    <message>
        <source>Subscription saved</source>
        <translation>Abonnement gespeichert</translation>
    </message>
    <message>
        <source>Delete subscription</source>
        <translation>Abonnement löschen</translation>
    </message>
    <message>
        <source>Delete the subscription to %1? Its pending deliveries are dropped; this cannot be undone.</source>
        <translation>Das Abonnement an %1 löschen? Seine ausstehenden Zustellungen entfallen; das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Subscription deleted</source>
        <translation>Abonnement gelöscht</translation>
    </message>
    <message>
        <source>Test event queued</source>
        <translation>Test-Ereignis eingereiht</translation>
    </message>
    <message>
        <source>Rotate secret</source>
        <translation>Geheimnis erneuern</translation>
    </message>
    <message>
        <source>Give the webhook to %1 a new signing secret? For 24 hours every delivery carries both signatures, the new and the old, so the receiver can switch over.</source>
        <translation>Dem Webhook an %1 ein neues Signaturgeheimnis geben? 24 Stunden lang trägt jede Zustellung beide Signaturen, die neue und die alte, damit der Empfänger umstellen kann.</translation>
    </message>
    <message>
        <source>New signing secret</source>
        <translation>Neues Signaturgeheimnis</translation>
    </message>
    <message>
        <source>Delivery queued again</source>
        <translation>Zustellung erneut eingereiht</translation>
    </message>
    <message>
        <source>Delivery details</source>
        <translation>Details der Zustellung</translation>
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
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Upload of %1 failed: %2</source>
        <translation>Hochladen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
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
        <translation>Outpost – alle Server sind erreichbar</translation>
    </message>
    <message>
        <source>Outpost — %1 of %2 servers down</source>
        <translation>Outpost – %1 von %2 Servern nicht erreichbar</translation>
    </message>
    <message>
        <source>&amp;Show Outpost</source>
        <translation>Outpost &amp;anzeigen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
</context>
<context>
    <name>Outpost::App::UsersModel</name>
    <message>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
</context>
<context>
    <name>Outpost::App::UsersView</name>
    <message>
        <source>Only administrators manage users and API keys.</source>
        <translation>Nur Administratoren verwalten Benutzer und API-Schlüssel.</translation>
    </message>
    <message>
        <source>&amp;New user…</source>
        <translation>&amp;Neuer Benutzer …</translation>
    </message>
    <message>
        <source>Make &amp;admin</source>
        <translation>Zum &amp;Administrator machen</translation>
    </message>
    <message>
        <source>D&amp;isable</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>&amp;Reset password…</source>
        <translation>Passwort &amp;zurücksetzen …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;New API key…</source>
        <translation>&amp;Neuer API-Schlüssel …</translation>
    </message>
    <message>
        <source>&amp;Revoke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>Rolle geändert</translation>
    </message>
    <message>
        <source>User enabled</source>
        <translation>Benutzer aktiviert</translation>
    </message>
    <message>
        <source>User disabled</source>
        <translation>Benutzer deaktiviert</translation>
    </message>
    <message>
        <source>Revoke API key</source>
        <translation>API-Schlüssel widerrufen</translation>
    </message>
    <message>
        <source>Revoke the key “%1”? Programs using it stop working.</source>
        <translation>Den Schlüssel „%1“ widerrufen? Programme, die ihn verwenden, funktionieren dann nicht mehr.</translation>
    </message>
    <message>
        <source>Make &amp;user</source>
        <translation>Zum &amp;Benutzer machen</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>Passwort zurücksetzen</translation>
    </message>
    <message>
        <source>New password for %1 (at least 8 characters, not all of one kind):</source>
        <translation>Neues Passwort für %1 (mindestens 8 Zeichen, nicht alle von einer Art):</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Passwort geändert</translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation>Benutzer löschen</translation>
    </message>
    <message>
        <source>Delete the user %1 and everything they own? This cannot be undone.</source>
        <translation>Den Benutzer %1 und alles, was ihm gehört, löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>User deleted</source>
        <translation>Benutzer gelöscht</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Neuer Benutzer</translation>
    </message>
    <message>
        <source>&amp;Administrator</source>
        <translation>&amp;Administrator</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Benutzer angelegt</translation>
    </message>
    <message>
        <source>New API key</source>
        <translation>Neuer API-Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Scopes:</source>
        <translation>Berechtigungen:</translation>
    </message>
    <message>
        <source>API key created</source>
        <translation>API-Schlüssel erstellt</translation>
    </message>
    <message>
        <source>Copy the key now: it is shown only this once and cannot be read again.</source>
        <translation>Kopieren Sie den Schlüssel jetzt: Er wird nur dieses eine Mal angezeigt und kann nicht erneut gelesen werden.</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <source>The new API key</source>
        <translation>Der neue API-Schlüssel</translation>
    </message>
    <message>
        <source>Select a user to see their audit trail.</source>
        <translation>Wählen Sie einen Benutzer, um sein Protokoll zu sehen.</translation>
    </message>
    <message>
        <source>Audit trail of the selected user</source>
        <translation>Protokoll des ausgewählten Benutzers</translation>
    </message>
    <message>
        <source>&amp;Audit trail of %1 (newest first):</source>
        <translation>&amp;Protokoll von %1 (neueste zuerst):</translation>
    </message>
    <message>
        <source>&amp;Audit trail of user #%1 (newest first):</source>
        <translation>&amp;Protokoll von Benutzer #%1 (neueste zuerst):</translation>
    </message>
    <message>
        <source>Users and API keys</source>
        <translation>Benutzer und API-Schlüssel</translation>
    </message>
</context>
</TS>
