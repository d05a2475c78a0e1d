<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AppController</name>
    <message>
        <source>This device was signed out; the local data has been deleted.</source>
        <translation>Dieses Gerät wurde abgemeldet; die lokalen Daten wurden gelöscht.</translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation>Praxisdesk</translation>
    </message>
    <message>
        <source>Patient waiting in the waiting room</source>
        <translation>Patient wartet im Wartezimmer</translation>
    </message>
</context>
<context>
    <name>CacheResetNotice</name>
    <message>
        <source>The key of the local data cache was missing or could not be read. For your protection the local copy was deleted; it is being reloaded from the server. No data on the server was affected.</source>
        <translation>Der Schlüssel für den lokalen Datenspeicher fehlte oder war nicht lesbar. Zu Ihrem Schutz wurde die lokale Kopie gelöscht; sie wird gerade neu vom Server geladen. Die Daten auf dem Server sind davon nicht betroffen.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>CallDetailView</name>
    <message>
        <source>Call from %1</source>
        <translation>Anruf von %1</translation>
    </message>
    <message>
        <source>unknown caller</source>
        <translation>unbekanntem Anrufer</translation>
    </message>
    <message>
        <source>Caller ID %1</source>
        <translation>Rufnummer %1</translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation>Zuständig: %1</translation>
    </message>
    <message>
        <source>Wished time: %1</source>
        <translation>Wunschtermin: %1</translation>
    </message>
    <message>
        <source>Urgent: %1</source>
        <translation>Dringend: %1</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <source>The call is still being transcribed.</source>
        <translation>Der Anruf wird noch transkribiert.</translation>
    </message>
    <message>
        <source>No transcript.</source>
        <translation>Kein Transkript vorhanden.</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Open inquiry</source>
        <translation>Anfrage öffnen</translation>
    </message>
    <message>
        <source>Take as inquiry</source>
        <translation>Als Anfrage übernehmen</translation>
    </message>
    <message>
        <source>Please enter the date of birth as DD.MM.YYYY.</source>
        <translation>Bitte das Geburtsdatum als TT.MM.JJJJ eingeben.</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>Niemand</translation>
    </message>
    <message>
        <source>Number copied.</source>
        <translation>Nummer kopiert.</translation>
    </message>
    <message>
        <source>No phone application is set up for dialling on this computer.</source>
        <translation>Auf diesem Computer ist kein Programm zum Wählen eingerichtet.</translation>
    </message>
    <message>
        <source>Creating the inquiry…</source>
        <translation>Anfrage wird angelegt …</translation>
    </message>
    <message>
        <source>The inquiry is in the inbox.</source>
        <translation>Die Anfrage steht im Posteingang.</translation>
    </message>
    <message>
        <source>To find or create the patient, enter the caller&apos;s name and date of birth and save them first.</source>
        <translation>Um die Patientin oder den Patienten zu finden oder anzulegen, bitte zuerst Name und Geburtsdatum eintragen und speichern.</translation>
    </message>
    <message>
        <source>The call is still being analysed; please try again in a moment.</source>
        <translation>Der Anruf wird noch ausgewertet; bitte gleich noch einmal versuchen.</translation>
    </message>
    <message>
        <source>The inquiry could not be created. Please try again when the server is reachable.</source>
        <translation>Die Anfrage konnte nicht angelegt werden. Bitte erneut versuchen, sobald der Server erreichbar ist.</translation>
    </message>
    <message>
        <source>The recording cannot be played (unknown format).</source>
        <translation>Die Aufnahme kann nicht abgespielt werden (unbekanntes Format).</translation>
    </message>
    <message>
        <source>The recording could not be loaded. It may have been deleted, or the server is not reachable.</source>
        <translation>Die Aufnahme konnte nicht geladen werden. Vielleicht wurde sie gelöscht, oder der Server ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Choose a call on the left.</source>
        <translation>Links einen Anruf auswählen.</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transkript</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation>TT.MM.JJJJ</translation>
    </message>
    <message>
        <source>Callback number</source>
        <translation>Rückrufnummer</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation>Nummer kopieren</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
</context>
<context>
    <name>CallTexts</name>
    <message>
        <source>Appointment</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Prescription</source>
        <translation>Rezept</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Überweisung</translation>
    </message>
    <message>
        <source>Sick note</source>
        <translation>Krankschreibung</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Notfall</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <source>chest pain</source>
        <translation>Brustschmerzen</translation>
    </message>
    <message>
        <source>heart symptoms</source>
        <translation>Herzbeschwerden</translation>
    </message>
    <message>
        <source>breathing difficulties</source>
        <translation>Atemnot</translation>
    </message>
    <message>
        <source>signs of a stroke</source>
        <translation>Schlaganfall-Zeichen</translation>
    </message>
    <message>
        <source>unconsciousness</source>
        <translation>Bewusstlosigkeit</translation>
    </message>
    <message>
        <source>heavy bleeding</source>
        <translation>starke Blutung</translation>
    </message>
    <message>
        <source>allergic shock</source>
        <translation>allergischer Schock</translation>
    </message>
    <message>
        <source>poisoning or overdose</source>
        <translation>Vergiftung oder Überdosis</translation>
    </message>
    <message>
        <source>suicidal thoughts</source>
        <translation>Suizidgedanken</translation>
    </message>
    <message>
        <source>seizure</source>
        <translation>Krampfanfall</translation>
    </message>
    <message>
        <source>signs of meningitis</source>
        <translation>Zeichen einer Hirnhautentzündung</translation>
    </message>
    <message>
        <source>acute abdominal pain</source>
        <translation>akute Bauchschmerzen</translation>
    </message>
    <message>
        <source>pregnancy complications</source>
        <translation>Schwangerschaftsbeschwerden</translation>
    </message>
    <message>
        <source>low blood sugar</source>
        <translation>Unterzuckerung</translation>
    </message>
    <message>
        <source>burns</source>
        <translation>Verbrennung</translation>
    </message>
    <message>
        <source>severe injury</source>
        <translation>schwere Verletzung</translation>
    </message>
    <message>
        <source>caller reports an emergency</source>
        <translation>Anrufer meldet einen Notfall</translation>
    </message>
    <message>
        <source>fever in an infant</source>
        <translation>Fieber bei einem Säugling</translation>
    </message>
    <message>
        <source>high fever in a vulnerable patient</source>
        <translation>hohes Fieber bei einem gefährdeten Patienten</translation>
    </message>
    <message>
        <source>critical medication running out</source>
        <translation>lebenswichtiges Medikament geht aus</translation>
    </message>
    <message>
        <source>New</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>in Bearbeitung</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>Being analysed…</source>
        <translation>Wird ausgewertet …</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>Auswertung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 – urgent</source>
        <translation>%1 – dringend</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Unbekannter Anrufer</translation>
    </message>
    <message>
        <source>Urgent calls: %1 urgent calls are waiting. Click to open the newest.</source>
        <translation>Dringende Anrufe: %1 dringende Anrufe warten. Klicken öffnet den neuesten.</translation>
    </message>
    <message>
        <source>Urgent call (%1, %2). Click to open it.</source>
        <translation>Dringender Anruf (%1, %2). Klicken zum Öffnen.</translation>
    </message>
    <message>
        <source>Urgent call</source>
        <translation>Dringender Anruf</translation>
    </message>
    <message>
        <source>An urgent call has come in. Please check the phone queue.</source>
        <translation>Ein dringender Anruf ist eingegangen. Bitte die Telefon-Warteschlange prüfen.</translation>
    </message>
    <message>
        <source>No audio device was found on this computer, so the recording cannot be played here. The transcript is shown above.</source>
        <translation>Auf diesem Computer wurde kein Audiogerät gefunden, daher kann die Aufnahme hier nicht abgespielt werden. Das Transkript steht oben.</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <source>No camera found: the patient sees a test picture instead of you.</source>
        <translation>Keine Kamera gefunden: Der Patient sieht statt Ihnen ein Testbild.</translation>
    </message>
    <message>
        <source>No microphone found: the patient cannot hear you.</source>
        <translation>Kein Mikrofon gefunden: Der Patient kann Sie nicht hören.</translation>
    </message>
    <message>
        <source>No speakers found: you cannot hear the patient.</source>
        <translation>Keine Lautsprecher gefunden: Sie können den Patienten nicht hören.</translation>
    </message>
    <message>
        <source>The connection to the patient failed.</source>
        <translation>Die Verbindung zum Patienten ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Only physicians can admit patients into a video call.</source>
        <translation>Nur Ärztinnen und Ärzte können Patienten in eine Videosprechstunde einlassen.</translation>
    </message>
    <message>
        <source>The patient is no longer in the waiting room.</source>
        <translation>Der Patient ist nicht mehr im Wartezimmer.</translation>
    </message>
    <message>
        <source>The video call could not be started.</source>
        <translation>Die Videosprechstunde konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <source>Quality: not measured yet</source>
        <translation>Qualität: noch nicht gemessen</translation>
    </message>
    <message>
        <source>RTT %1 · loss %2 · %3</source>
        <translation>RTT %1 · Verlust %2 · %3</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>Stummschaltung aufheben</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <source>Camera on</source>
        <translation>Kamera ein</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>Keine Kamera gefunden</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>Kein Mikrofon gefunden</translation>
    </message>
    <message>
        <source>No speakers found</source>
        <translation>Keine Lautsprecher gefunden</translation>
    </message>
    <message>
        <source>Admitting %1…</source>
        <translation>%1 wird eingelassen …</translation>
    </message>
    <message>
        <source>Connecting with %1…</source>
        <translation>Verbindung mit %1 wird aufgebaut …</translation>
    </message>
    <message>
        <source>In call with %1</source>
        <translation>Im Gespräch mit %1</translation>
    </message>
    <message>
        <source>Connection to %1 interrupted…</source>
        <translation>Verbindung zu %1 unterbrochen …</translation>
    </message>
    <message>
        <source>Connection to %1 failed</source>
        <translation>Verbindung zu %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>Ending the call…</source>
        <translation>Gespräch wird beendet …</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Gespräch beendet</translation>
    </message>
    <message>
        <source>Waiting for the patient&apos;s picture…</source>
        <translation>Warten auf das Bild des Patienten …</translation>
    </message>
    <message>
        <source>Video call – %1</source>
        <translation>Videosprechstunde – %1</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>Kamera:</translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation>Mikrofon:</translation>
    </message>
    <message>
        <source>Speakers:</source>
        <translation>Lautsprecher:</translation>
    </message>
    <message>
        <source>A changed device is used from the next call on.</source>
        <translation>Ein geändertes Gerät wird ab dem nächsten Gespräch verwendet.</translation>
    </message>
</context>
<context>
    <name>CallsModel</name>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Anrufer</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message numerus="yes">
        <source>%n call(s)</source>
        <translation>
            <numerusform>%n Anruf</numerusform>
            <numerusform>%n Anrufe</numerusform>
        </translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>All calls</source>
        <translation>Alle Anrufe</translation>
    </message>
    <message>
        <source>Open calls</source>
        <translation>Offene Anrufe</translation>
    </message>
    <message>
        <source>Done calls</source>
        <translation>Erledigte Anrufe</translation>
    </message>
    <message>
        <source>No calls. Calls answered by the phone assistant appear here with transcript and category; urgent calls come first, in red.</source>
        <translation>Keine Anrufe. Vom Telefonassistenten angenommene Anrufe erscheinen hier mit Transkript und Kategorie; dringende Anrufe stehen oben, in Rot.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>No templates</source>
        <translation>Keine Vorlagen</translation>
    </message>
    <message>
        <source>No active forms</source>
        <translation>Keine aktiven Formulare</translation>
    </message>
    <message>
        <source>Attach file</source>
        <translation>Datei anhängen</translation>
    </message>
    <message>
        <source>Documents and images (*.pdf *.jpg *.jpeg *.png *.heic)</source>
        <translation>Dokumente und Bilder (*.pdf *.jpg *.jpeg *.png *.heic)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter starts a new line)</source>
        <translation>Nachricht schreiben… (Enter sendet, Umschalt+Enter für eine neue Zeile)</translation>
    </message>
    <message>
        <source>Send form…</source>
        <translation>Formular senden…</translation>
    </message>
    <message>
        <source>Send a form to the patient to fill in and sign on their page</source>
        <translation>Ein Formular an die Patientin / den Patienten senden, zum Ausfüllen und Unterschreiben auf der persönlichen Seite</translation>
    </message>
    <message>
        <source>Save as note</source>
        <translation>Als Notiz speichern</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Vorlagen</translation>
    </message>
    <message>
        <source>Insert a text template</source>
        <translation>Textvorlage einfügen</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>Datei anhängen…</translation>
    </message>
    <message>
        <source>Remove attachment</source>
        <translation>Anhang entfernen</translation>
    </message>
    <message>
        <source>Only the practice team sees internal notes.</source>
        <translation>Interne Notizen sieht nur das Praxisteam.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Offline – working with local data</source>
        <translation>Offline – Arbeit mit lokalen Daten</translation>
    </message>
    <message>
        <source>Sign-in required</source>
        <translation>Anmeldung erforderlich</translation>
    </message>
    <message>
        <source>Connection to the practice server</source>
        <translation>Verbindung zum Praxisserver</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Unassigned</source>
        <translation>Nicht zugewiesen</translation>
    </message>
    <message>
        <source>Former team member</source>
        <translation>Ehemaliges Teammitglied</translation>
    </message>
    <message numerus="yes">
        <source>%n open request(s)</source>
        <translation>
            <numerusform>%n offene Anfrage</numerusform>
            <numerusform>%n offene Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <source>No open requests</source>
        <translation>Keine offenen Anfragen</translation>
    </message>
    <message>
        <source>%1 of %2 open</source>
        <translation>%1 von %2 offen</translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n offen</numerusform>
            <numerusform>%n offen</numerusform>
        </translation>
    </message>
    <message>
        <source>Download failed. Please try again.</source>
        <translation>Herunterladen fehlgeschlagen. Bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>Anhang speichern</translation>
    </message>
    <message>
        <source>Withdraw form</source>
        <translation>Formular zurückziehen</translation>
    </message>
    <message>
        <source>Withdraw the form “%1”? The patient can no longer fill it in, and what they have entered so far is deleted.</source>
        <translation>Das Formular „%1“ zurückziehen? Es kann dann nicht mehr ausgefüllt werden, und bisherige Eingaben werden gelöscht.</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Zurückziehen</translation>
    </message>
    <message>
        <source>No connection to the server: the form was not sent. Please try again when the connection is back.</source>
        <translation>Keine Verbindung zum Server: Das Formular wurde nicht gesendet. Bitte versuchen Sie es erneut, sobald die Verbindung wieder besteht.</translation>
    </message>
    <message>
        <source>No connection to the server: the form was not withdrawn. Please try again when the connection is back.</source>
        <translation>Keine Verbindung zum Server: Das Formular wurde nicht zurückgezogen. Bitte versuchen Sie es erneut, sobald die Verbindung wieder besteht.</translation>
    </message>
    <message>
        <source>This form was archived in the meantime. Please choose another one.</source>
        <translation>Dieses Formular wurde inzwischen archiviert. Bitte wählen Sie ein anderes.</translation>
    </message>
    <message>
        <source>The patient has already submitted this form; it can no longer be withdrawn.</source>
        <translation>Das Formular wurde bereits ausgefüllt und abgeschickt; es kann nicht mehr zurückgezogen werden.</translation>
    </message>
    <message>
        <source>The form could not be sent. Please try again.</source>
        <translation>Das Formular konnte nicht gesendet werden. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The form could not be withdrawn. Please try again.</source>
        <translation>Das Formular konnte nicht zurückgezogen werden. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The PDF could not be loaded (no connection to the server?). Please try again.</source>
        <translation>Das PDF konnte nicht geladen werden (keine Verbindung zum Server?). Bitte versuchen Sie es erneut.</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) could not be sent.</source>
        <translation>
            <numerusform>%n Nachricht konnte nicht gesendet werden.</numerusform>
            <numerusform>%n Nachrichten konnten nicht gesendet werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a conversation on the left.</source>
        <translation>Wählen Sie links eine Unterhaltung aus.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Previous open request</source>
        <translation>Vorherige offene Anfrage</translation>
    </message>
    <message>
        <source>Next open request</source>
        <translation>Nächste offene Anfrage</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <source>Export to patient record</source>
        <translation>Export in die Patientenakte</translation>
    </message>
    <message>
        <source>Saves this conversation as PDF and GDT file in the folder chosen in the settings</source>
        <translation>Speichert dieses Gespräch als PDF- und GDT-Datei in dem Ordner aus den Einstellungen</translation>
    </message>
    <message>
        <source>Show answers</source>
        <translation>Antworten anzeigen</translation>
    </message>
    <message>
        <source>Open PDF</source>
        <translation>PDF öffnen</translation>
    </message>
    <message>
        <source>Saves the conversation with the form&apos;s sealed PDF in the patient record folder</source>
        <translation>Speichert die Unterhaltung mit dem versiegelten PDF des Formulars im Ordner der Patientenakte</translation>
    </message>
</context>
<context>
    <name>CreateAppointmentDialog</name>
    <message>
        <source>New video appointment</source>
        <translation>Videotermin anlegen</translation>
    </message>
    <message>
        <source>The patient receives the link by e-mail (if known) and in the conversation, together with a code for joining at the practice&apos;s video page. The link opens 30 minutes before the appointment.</source>
        <translation>Der Patient erhält den Link per E-Mail (falls bekannt) und in der Unterhaltung, dazu einen Code für die Videoseite der Praxis. Der Link gilt ab 30 Minuten vor dem Termin.</translation>
    </message>
    <message>
        <source>Create and send invitation</source>
        <translation>Anlegen und Einladung senden</translation>
    </message>
    <message>
        <source>Patient:</source>
        <translation>Patient:</translation>
    </message>
    <message>
        <source>Date and time:</source>
        <translation>Datum und Uhrzeit:</translation>
    </message>
</context>
<context>
    <name>DirectoryModel</name>
    <message>
        <source>Administration</source>
        <translation>Administration</translation>
    </message>
    <message>
        <source>Physician</source>
        <translation>Ärztin/Arzt</translation>
    </message>
    <message>
        <source>Practice staff</source>
        <translation>Praxisteam</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
</context>
<context>
    <name>EraseConfirmDialog</name>
    <message>
        <source>Erase patient</source>
        <translation>Patient löschen</translation>
    </message>
    <message>
        <source>All data of %1 will be deleted for good: the patient record, every conversation, message, file, request and internal note, on the server and on every computer of the practice. This cannot be undone. Export the data first if it must be kept (e.g. into the patient record).</source>
        <translation>Alle Daten von %1 werden endgültig gelöscht: der Patienteneintrag, alle Unterhaltungen, Nachrichten, Dateien, Anfragen und internen Notizen – auf dem Server und auf jedem Computer der Praxis. Das kann nicht rückgängig gemacht werden. Exportieren Sie die Daten vorher, wenn sie aufbewahrt werden müssen (z. B. in die Patientenakte).</translation>
    </message>
    <message>
        <source>To confirm, type the patient&apos;s name (%1):</source>
        <translation>Geben Sie zur Bestätigung den Namen des Patienten ein (%1):</translation>
    </message>
    <message>
        <source>Erase for good</source>
        <translation>Endgültig löschen</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <source>Something went wrong. Your data is safe; you can keep working. If this happens again, please tell your IT support.</source>
        <translation>Etwas ist schiefgelaufen. Ihre Daten sind sicher, und Sie können weiterarbeiten. Falls das erneut passiert, wenden Sie sich bitte an Ihren IT-Support.</translation>
    </message>
    <message>
        <source>Error type: %1</source>
        <translation>Fehlertyp: %1</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>(not an earlier field: %1)</source>
        <translation>(kein Feld davor: %1)</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Help text</source>
        <translation>Hilfetext</translation>
    </message>
    <message>
        <source>Answer required</source>
        <translation>Antwort erforderlich</translation>
    </message>
    <message>
        <source>Consent: only “Yes” can be submitted</source>
        <translation>Einwilligung: nur „Ja“ kann abgesendet werden</translation>
    </message>
    <message>
        <source>Answer options</source>
        <translation>Antwortmöglichkeiten</translation>
    </message>
    <message>
        <source>One option per line.</source>
        <translation>Eine Antwortmöglichkeit pro Zeile.</translation>
    </message>
    <message>
        <source>Allowed range</source>
        <translation>Erlaubter Bereich</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>no minimum</source>
        <translation>kein Minimum</translation>
    </message>
    <message>
        <source>no maximum</source>
        <translation>kein Maximum</translation>
    </message>
    <message>
        <source>Maximum length</source>
        <translation>Höchstlänge</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source> characters</source>
        <translation> Zeichen</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>Show only if</source>
        <translation>Nur anzeigen, wenn</translation>
    </message>
    <message>
        <source>is</source>
        <translation>gleich</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>A condition can only refer to a question that comes before this one.</source>
        <translation>Eine Bedingung kann sich nur auf eine Frage beziehen, die vor dieser steht.</translation>
    </message>
</context>
<context>
    <name>FieldInput</name>
    <message>
        <source>Number from %1 to %2</source>
        <translation>Zahl von %1 bis %2</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation>TT.MM.JJJJ</translation>
    </message>
    <message>
        <source>The patient signs here with the mouse, a finger or a pen.</source>
        <translation>Hier unterschreibt die Patientin / der Patient mit Maus, Finger oder Stift.</translation>
    </message>
</context>
<context>
    <name>FormAnswersDialog</name>
    <message>
        <source>Answers: %1</source>
        <translation>Antworten: %1</translation>
    </message>
    <message>
        <source>signed on %1 at %2</source>
        <translation>unterschrieben am %1 um %2</translation>
    </message>
    <message>
        <source>This form has no answers.</source>
        <translation>Dieses Formular enthält keine Antworten.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>FormEditorDialog</name>
    <message>
        <source>Questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>New section</source>
        <translation>Neuer Abschnitt</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more problems.</source>
        <translation>
            <numerusform>… und %n weiterer Fehler.</numerusform>
            <numerusform>… und %n weitere Fehler.</numerusform>
        </translation>
    </message>
    <message>
        <source>The form cannot be saved yet:</source>
        <translation>Das Formular kann noch nicht gespeichert werden:</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Discard your changes to this form?</source>
        <translation>Ihre Änderungen an diesem Formular verwerfen?</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Weiter bearbeiten</translation>
    </message>
    <message>
        <source>New form</source>
        <translation>Neues Formular</translation>
    </message>
    <message>
        <source>Edit form</source>
        <translation>Formular bearbeiten</translation>
    </message>
    <message>
        <source>Edit form – saving makes version %1</source>
        <translation>Formular bearbeiten – Speichern legt Version %1 an</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Add section</source>
        <translation>Abschnitt hinzufügen</translation>
    </message>
    <message>
        <source>Add question</source>
        <translation>Frage hinzufügen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Choose a section or question on the left, or add one.</source>
        <translation>Wählen Sie links einen Abschnitt oder eine Frage aus, oder fügen Sie eine hinzu.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>FormOutline</name>
    <message>
        <source>(untitled section)</source>
        <translation>(Abschnitt ohne Titel)</translation>
    </message>
    <message>
        <source>(no question yet)</source>
        <translation>(noch keine Frage)</translation>
    </message>
    <message>
        <source>Sections and questions</source>
        <translation>Abschnitte und Fragen</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
</context>
<context>
    <name>FormTexts</name>
    <message>
        <source>Short text</source>
        <translation>Kurzer Text</translation>
    </message>
    <message>
        <source>Long text</source>
        <translation>Langer Text</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Yes / no</source>
        <translation>Ja / Nein</translation>
    </message>
    <message>
        <source>Single choice</source>
        <translation>Einfachauswahl</translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation>Mehrfachauswahl</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archiviert</translation>
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
        <source>The form&apos;s internal name “%1” is not valid.</source>
        <translation>Der interne Name „%1“ des Formulars ist ungültig.</translation>
    </message>
    <message>
        <source>The version number is not valid.</source>
        <translation>Die Versionsnummer ist ungültig.</translation>
    </message>
    <message>
        <source>Please enter a title for the form.</source>
        <translation>Bitte geben Sie einen Titel für das Formular ein.</translation>
    </message>
    <message>
        <source>The form&apos;s title is too long (at most %2 characters).</source>
        <translation>Der Titel des Formulars ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>The description is too long (at most %2 characters).</source>
        <translation>Die Beschreibung ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>The form needs at least one section.</source>
        <translation>Das Formular braucht mindestens einen Abschnitt.</translation>
    </message>
    <message>
        <source>A form can have at most %2 sections.</source>
        <translation>Ein Formular kann höchstens %2 Abschnitte haben.</translation>
    </message>
    <message>
        <source>A form can have at most %2 fields.</source>
        <translation>Ein Formular kann höchstens %2 Fragen haben.</translation>
    </message>
    <message>
        <source>“%1” has an invalid internal name.</source>
        <translation>„%1“ hat einen ungültigen internen Namen.</translation>
    </message>
    <message>
        <source>“%1” uses an internal name that is already taken.</source>
        <translation>„%1“ verwendet einen internen Namen, der schon vergeben ist.</translation>
    </message>
    <message>
        <source>A section has no title. Please enter one.</source>
        <translation>Ein Abschnitt hat keinen Titel. Bitte geben Sie einen ein.</translation>
    </message>
    <message>
        <source>Section “%1”: the title is too long (at most %2 characters).</source>
        <translation>Abschnitt „%1“: Der Titel ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>Section “%1”: the text is too long (at most %2 characters).</source>
        <translation>Abschnitt „%1“: Der Text ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>Section “%1” has no fields. Add a field or remove the section.</source>
        <translation>Der Abschnitt „%1“ hat noch keine Fragen. Fügen Sie eine Frage hinzu oder entfernen Sie den Abschnitt.</translation>
    </message>
    <message>
        <source>A field in section “%3” has no question. Please enter one.</source>
        <translation>Eine Frage im Abschnitt „%3“ hat noch keinen Fragetext. Bitte geben Sie einen ein.</translation>
    </message>
    <message>
        <source>“%1”: the question is too long (at most %2 characters).</source>
        <translation>„%1“: Der Fragetext ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>“%1”: the help text is too long (at most %2 characters).</source>
        <translation>„%1“: Der Hilfetext ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>“%1” has an unknown field type.</source>
        <translation>„%1“ hat eine unbekannte Art.</translation>
    </message>
    <message>
        <source>“%1” needs at least one answer option.</source>
        <translation>„%1“ braucht mindestens eine Antwortmöglichkeit.</translation>
    </message>
    <message>
        <source>“%1” has an empty answer option.</source>
        <translation>„%1“ hat eine leere Antwortmöglichkeit.</translation>
    </message>
    <message>
        <source>“%1” lists the answer option “%2” twice.</source>
        <translation>„%1“ enthält die Antwortmöglichkeit „%2“ doppelt.</translation>
    </message>
    <message>
        <source>“%1”: an answer option is too long (at most %2 characters).</source>
        <translation>„%1“: Eine Antwortmöglichkeit ist zu lang (höchstens %2 Zeichen).</translation>
    </message>
    <message>
        <source>“%1” has too many answer options (at most %2).</source>
        <translation>„%1“ hat zu viele Antwortmöglichkeiten (höchstens %2).</translation>
    </message>
    <message>
        <source>“%1”: only choice fields have answer options.</source>
        <translation>„%1“: Nur Auswahlfragen haben Antwortmöglichkeiten.</translation>
    </message>
    <message>
        <source>“%1”: only number fields have a smallest and largest value.</source>
        <translation>„%1“: Nur Zahlenfragen haben einen kleinsten und größten Wert.</translation>
    </message>
    <message>
        <source>“%1”: the smallest and largest value must be numbers.</source>
        <translation>„%1“: Der kleinste und der größte Wert müssen Zahlen sein.</translation>
    </message>
    <message>
        <source>“%1”: the smallest value is greater than the largest value.</source>
        <translation>„%1“: Der kleinste Wert ist größer als der größte Wert.</translation>
    </message>
    <message>
        <source>“%1”: only text fields have a maximum length.</source>
        <translation>„%1“: Nur Textfragen haben eine Höchstlänge.</translation>
    </message>
    <message>
        <source>“%1”: the maximum length must be between 1 and %2 characters.</source>
        <translation>„%1“: Die Höchstlänge muss zwischen 1 und %2 Zeichen liegen.</translation>
    </message>
    <message>
        <source>“%1”: only yes/no fields can require the answer “Yes”.</source>
        <translation>„%1“: Nur Ja/Nein-Fragen können die Antwort „Ja“ verlangen.</translation>
    </message>
    <message>
        <source>“%1” is shown depending on a field that does not come before it.</source>
        <translation>„%1“ hängt von einem Feld ab, das nicht vor ihm steht.</translation>
    </message>
    <message>
        <source>“%1” cannot be shown depending on the signature “%2”.</source>
        <translation>„%1“ kann nicht von der Unterschrift „%2“ abhängen.</translation>
    </message>
    <message>
        <source>“%1”: the value of the condition does not fit the field “%2”.</source>
        <translation>„%1“: Der Wert der Bedingung passt nicht zur Frage „%2“.</translation>
    </message>
    <message>
        <source>The form has a problem (%1).</source>
        <translation>Das Formular hat einen Fehler (%1).</translation>
    </message>
    <message>
        <source>Section %1</source>
        <translation>Abschnitt %1</translation>
    </message>
    <message>
        <source>Question %1 in section %2</source>
        <translation>Frage %1 im Abschnitt %2</translation>
    </message>
</context>
<context>
    <name>FormsModel</name>
    <message>
        <source>Form</source>
        <translation>Formular</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>FormsSection</name>
    <message>
        <source>Only administrators can change forms.</source>
        <translation>Nur Administratoren können Formulare ändern.</translation>
    </message>
    <message>
        <source>The practice already has a form with this name. Edit that form instead, or choose another title.</source>
        <translation>Die Praxis hat bereits ein Formular mit diesem Namen. Bearbeiten Sie stattdessen dieses Formular oder wählen Sie einen anderen Titel.</translation>
    </message>
    <message>
        <source>The server did not accept the form. Please check its questions and conditions and try again.</source>
        <translation>Der Server hat das Formular nicht angenommen. Bitte prüfen Sie die Fragen und Bedingungen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This form no longer exists. The list has been updated.</source>
        <translation>Dieses Formular gibt es nicht mehr. Die Liste wurde aktualisiert.</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archivieren</translation>
    </message>
    <message>
        <source>This server does not offer forms yet. Please ask your IT support to update the Praxisdesk server.</source>
        <translation>Dieser Server bietet noch keine Formulare an. Bitte lassen Sie den Praxisdesk-Server von Ihrer IT-Betreuung aktualisieren.</translation>
    </message>
    <message>
        <source>“%1” saved as version %2.</source>
        <translation>„%1“ wurde als Version %2 gespeichert.</translation>
    </message>
    <message>
        <source>Version %2 of “%1” is active again.</source>
        <translation>Version %2 von „%1“ ist wieder aktiv.</translation>
    </message>
    <message>
        <source>Version %2 of “%1” is archived; it can no longer be sent.</source>
        <translation>Version %2 von „%1“ ist archiviert und kann nicht mehr gesendet werden.</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>Formulare</translation>
    </message>
    <message>
        <source>Forms patients fill in and sign on their page, e.g. anamnesis or consent. A saved form is never changed: editing it makes a new version.</source>
        <translation>Formulare, die Patientinnen und Patienten auf ihrer Seite ausfüllen und unterschreiben, z. B. Anamnese oder Einwilligung. Ein gespeichertes Formular wird nie verändert: Bearbeiten legt eine neue Version an.</translation>
    </message>
    <message>
        <source>New from template…</source>
        <translation>Neu aus Vorlage…</translation>
    </message>
    <message>
        <source>New form</source>
        <translation>Neues Formular</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n offen</numerusform>
            <numerusform>%n offen</numerusform>
        </translation>
    </message>
    <message>
        <source>Assigned: %1</source>
        <translation>Zuständig: %1</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>No messages</source>
        <translation>Keine Nachrichten</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n Unterhaltung</numerusform>
            <numerusform>%n Unterhaltungen</numerusform>
        </translation>
    </message>
    <message>
        <source>All assignees</source>
        <translation>Alle Zuständigen</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>Search names, messages, notes (Ctrl+F)</source>
        <translation>Namen, Nachrichten, Notizen suchen (Strg+F)</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>Start a conversation with a patient (Ctrl+N)</source>
        <translation>Unterhaltung mit Patient:in beginnen (Strg+N)</translation>
    </message>
    <message>
        <source>All request types</source>
        <translation>Alle Anliegen</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Nur ungelesene</translation>
    </message>
</context>
<context>
    <name>InboxTexts</name>
    <message>
        <source>Appointment</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Prescription</source>
        <translation>Rezept</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Überweisung</translation>
    </message>
    <message>
        <source>Sick note</source>
        <translation>AU-Bescheinigung</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Other request</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <source>Form completed</source>
        <translation>Formular ausgefüllt</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Bearbeitung</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>Mo</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>Di</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>Mi</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>Fr</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>Sa</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>So</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Anlass: %1</translation>
    </message>
    <message>
        <source>Preferred times: %1</source>
        <translation>Wunschtermine: %1</translation>
    </message>
    <message>
        <source>Medication: %1</source>
        <translation>Medikamente: %1</translation>
    </message>
    <message>
        <source>Specialty: %1</source>
        <translation>Fachrichtung: %1</translation>
    </message>
    <message>
        <source>Period: %1 to %2</source>
        <translation>Zeitraum: %1 bis %2</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>Betreff: %1</translation>
    </message>
    <message>
        <source>Form: %1</source>
        <translation>Formular: %1</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more answer(s)</source>
        <translation>
            <numerusform>… und %n weitere Antwort</numerusform>
            <numerusform>… und %n weitere Antworten</numerusform>
        </translation>
    </message>
    <message>
        <source>Will be deleted today</source>
        <translation>wird heute gelöscht</translation>
    </message>
    <message>
        <source>Will be deleted tomorrow</source>
        <translation>wird morgen gelöscht</translation>
    </message>
    <message numerus="yes">
        <source>Will be deleted in %n day(s)</source>
        <translation>
            <numerusform>wird in %n Tag gelöscht</numerusform>
            <numerusform>wird in %n Tagen gelöscht</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Byte</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 messages synchronised</source>
        <translation>%1 Nachrichten synchronisiert</translation>
    </message>
    <message>
        <source>%1 of %2 messages synchronised</source>
        <translation>%1 von %2 Nachrichten synchronisiert</translation>
    </message>
    <message>
        <source>New request</source>
        <translation>Neue Anfrage</translation>
    </message>
    <message>
        <source>Form “%1” completed</source>
        <translation>Formular „%1“ ausgefüllt</translation>
    </message>
    <message>
        <source>Form “%1” withdrawn</source>
        <translation>Formular „%1“ zurückgezogen</translation>
    </message>
    <message>
        <source>Form “%1” sent</source>
        <translation>Formular „%1“ gesendet</translation>
    </message>
    <message>
        <source>Seal valid</source>
        <translation>Siegel gültig</translation>
    </message>
    <message>
        <source>Seal broken – the document was changed</source>
        <translation>Siegel verletzt – Dokument wurde verändert</translation>
    </message>
    <message>
        <source>Seal not from this practice</source>
        <translation>Siegel stammt nicht von dieser Praxis</translation>
    </message>
</context>
<context>
    <name>InboxTray</name>
    <message numerus="yes">
        <source>Praxisdesk – %n unread conversation(s)</source>
        <translation>
            <numerusform>Praxisdesk – %n ungelesene Unterhaltung</numerusform>
            <numerusform>Praxisdesk – %n ungelesene Unterhaltungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Praxisdesk – no unread messages</source>
        <translation>Praxisdesk – keine ungelesenen Nachrichten</translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation>Praxisdesk</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in – Praxisdesk</source>
        <translation>Anmelden – Praxisdesk</translation>
    </message>
    <message>
        <source>Signed in – please note</source>
        <translation>Angemeldet – bitte beachten</translation>
    </message>
    <message>
        <source>Sign in to your practice</source>
        <translation>Bei Ihrer Praxis anmelden</translation>
    </message>
    <message>
        <source>Use the address of your practice server and your personal access.</source>
        <translation>Verwenden Sie die Adresse Ihres Praxisservers und Ihre persönlichen Zugangsdaten.</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Security code</source>
        <translation>Sicherheitscode</translation>
    </message>
    <message>
        <source>6 digits from your authenticator app</source>
        <translation>6 Ziffern aus Ihrer Authenticator-App</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Please enter the server address, your e-mail address and your password.</source>
        <translation>Bitte geben Sie die Serveradresse, Ihre E-Mail-Adresse und Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Please enter the security code.</source>
        <translation>Bitte geben Sie den Sicherheitscode ein.</translation>
    </message>
</context>
<context>
    <name>LoginErrors</name>
    <message>
        <source>The e-mail address or the password is wrong. Please check both and try again.</source>
        <translation>E-Mail-Adresse oder Passwort ist falsch. Bitte prüfen Sie beides und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Your account is protected with a second factor. Please enter the 6-digit security code from your authenticator app.</source>
        <translation>Ihr Konto ist mit einem zweiten Faktor geschützt. Bitte geben Sie den 6-stelligen Sicherheitscode aus Ihrer Authenticator-App ein.</translation>
    </message>
    <message>
        <source>The security code is wrong or has expired. Please enter the current code from your authenticator app.</source>
        <translation>Der Sicherheitscode ist falsch oder abgelaufen. Bitte geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed sign-in attempts. The account is locked for %n more minute(s).</source>
        <translation>
            <numerusform>Zu viele fehlgeschlagene Anmeldeversuche. Das Konto ist noch %n Minute gesperrt.</numerusform>
            <numerusform>Zu viele fehlgeschlagene Anmeldeversuche. Das Konto ist noch %n Minuten gesperrt.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot be reached. Please check the server address and the network connection.</source>
        <translation>Der Server ist nicht erreichbar. Bitte prüfen Sie die Serveradresse und die Netzwerkverbindung.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is invalid or not trusted, so no connection was made. Please contact your IT support.</source>
        <translation>Das Zertifikat des Servers ist ungültig oder nicht vertrauenswürdig, daher wurde keine Verbindung hergestellt. Bitte wenden Sie sich an Ihren IT-Support.</translation>
    </message>
    <message>
        <source>Unencrypted connections (http://) are only allowed to this computer. Please use an https:// address.</source>
        <translation>Unverschlüsselte Verbindungen (http://) sind nur zu diesem Computer erlaubt. Bitte verwenden Sie eine https://-Adresse.</translation>
    </message>
    <message>
        <source>The system keyring is not available, so the login cannot be stored securely. Please unlock or set up the keyring and try again.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar, daher kann die Anmeldung nicht sicher gespeichert werden. Bitte entsperren oder richten Sie den Schlüsselbund ein und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server gave an unexpected answer. Please check that the address belongs to a Praxisdesk server.</source>
        <translation>Der Server hat unerwartet geantwortet. Bitte prüfen Sie, ob die Adresse zu einem Praxisdesk-Server gehört.</translation>
    </message>
    <message>
        <source>Sign-in failed because of a server error. Please try again later.</source>
        <translation>Die Anmeldung ist wegen eines Serverfehlers fehlgeschlagen. Bitte versuchen Sie es später erneut.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Inbox</source>
        <translation>Posteingang</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation>Praxisdesk</translation>
    </message>
    <message>
        <source>Video (%1 waiting)</source>
        <translation>Video (%1 wartend)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>NewConversationDialog</name>
    <message>
        <source>Please enter the patient&apos;s name.</source>
        <translation>Bitte geben Sie den Namen der Patientin oder des Patienten ein.</translation>
    </message>
    <message>
        <source>Please enter the date of birth.</source>
        <translation>Bitte geben Sie das Geburtsdatum ein.</translation>
    </message>
    <message>
        <source>Please enter the date of birth as DD.MM.YYYY.</source>
        <translation>Bitte geben Sie das Geburtsdatum als TT.MM.JJJJ ein.</translation>
    </message>
    <message>
        <source>The date of birth cannot be in the future or before 1900.</source>
        <translation>Das Geburtsdatum darf nicht in der Zukunft oder vor 1900 liegen.</translation>
    </message>
    <message>
        <source>The e-mail address does not look right.</source>
        <translation>Die E-Mail-Adresse scheint nicht zu stimmen.</translation>
    </message>
    <message>
        <source>The phone number may contain only digits, spaces and + ( ) / -.</source>
        <translation>Die Telefonnummer darf nur Ziffern, Leerzeichen und + ( ) / - enthalten.</translation>
    </message>
    <message>
        <source>The conversation could not be started. Please check the connection and try again.</source>
        <translation>Die Unterhaltung konnte nicht begonnen werden. Bitte prüfen Sie die Verbindung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <source>The patient receives a secure link by e-mail to reply from any browser.</source>
        <translation>Die Patientin oder der Patient erhält per E-Mail einen sicheren Link und kann aus jedem Browser antworten.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation>TT.MM.JJJJ</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Start conversation</source>
        <translation>Unterhaltung beginnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>PatientLinkControls</name>
    <message>
        <source>Link revoked</source>
        <translation>Link gesperrt</translation>
    </message>
    <message>
        <source>No link</source>
        <translation>Kein Link</translation>
    </message>
    <message>
        <source>Link expired</source>
        <translation>Link abgelaufen</translation>
    </message>
    <message>
        <source>Link valid until %1</source>
        <translation>Link gültig bis %1</translation>
    </message>
    <message>
        <source>Revoke link</source>
        <translation>Link sperren</translation>
    </message>
    <message>
        <source>Revoke the patient&apos;s link? Every link of this conversation stops working at once; the patient can only write again after you create a new one.</source>
        <translation>Den Link der Patientin/des Patienten sperren? Alle Links dieses Gesprächs funktionieren sofort nicht mehr; erst mit einem neuen Link kann wieder geschrieben werden.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Patient link</source>
        <translation>Patientenlink</translation>
    </message>
    <message>
        <source>Create new link…</source>
        <translation>Neuen Link erstellen…</translation>
    </message>
    <message>
        <source>Revoke link…</source>
        <translation>Link sperren…</translation>
    </message>
</context>
<context>
    <name>PatientLinkDialog</name>
    <message>
        <source>New patient link</source>
        <translation>Neuer Patientenlink</translation>
    </message>
    <message>
        <source>Give this link to the patient. Older links of this conversation no longer work. The link is shown only now.</source>
        <translation>Geben Sie diesen Link an die Patientin/den Patienten weiter. Ältere Links dieses Gesprächs funktionieren nicht mehr. Der Link wird nur jetzt angezeigt.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>PatientRightsControls</name>
    <message>
        <source>Patient data</source>
        <translation>Patientendaten</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>Das hat nicht geklappt: %1</translation>
    </message>
    <message>
        <source>Save patient data</source>
        <translation>Patientendaten speichern</translation>
    </message>
    <message>
        <source>ZIP archive (*.zip)</source>
        <translation>ZIP-Archiv (*.zip)</translation>
    </message>
    <message>
        <source>Patient data exported</source>
        <translation>Patientendaten exportiert</translation>
    </message>
    <message>
        <source>All data of the patient was saved to %1. The file is not encrypted: keep it safe and delete it once it has been handed over.</source>
        <translation>Alle Daten des Patienten wurden in %1 gespeichert. Die Datei ist nicht verschlüsselt: Bewahren Sie sie sicher auf und löschen Sie sie nach der Übergabe.</translation>
    </message>
    <message>
        <source>Patient erased</source>
        <translation>Patient gelöscht</translation>
    </message>
    <message>
        <source>All data of %1 was deleted.</source>
        <translation>Alle Daten von %1 wurden gelöscht.</translation>
    </message>
    <message>
        <source>Export all data (Art. 15/20 GDPR)…</source>
        <translation>Alle Daten exportieren (Art. 15/20 DSGVO)…</translation>
    </message>
    <message>
        <source>Erase patient (Art. 17 GDPR)…</source>
        <translation>Patient löschen (Art. 17 DSGVO)…</translation>
    </message>
</context>
<context>
    <name>PatientVideoControls</name>
    <message>
        <source>New video appointment…</source>
        <translation>Videotermin anlegen…</translation>
    </message>
    <message>
        <source>Earlier video calls: loading…</source>
        <translation>Frühere Videosprechstunden: werden geladen …</translation>
    </message>
    <message>
        <source>No earlier video calls</source>
        <translation>Keine früheren Videosprechstunden</translation>
    </message>
    <message>
        <source>Earlier video calls:</source>
        <translation>Frühere Videosprechstunden:</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Video appointment and earlier video calls</source>
        <translation>Videotermin und frühere Videosprechstunden</translation>
    </message>
</context>
<context>
    <name>PracticeDevicesSection</name>
    <message>
        <source>Unnamed device</source>
        <translation>Unbenanntes Gerät</translation>
    </message>
    <message>
        <source>Log out device</source>
        <translation>Gerät abmelden</translation>
    </message>
    <message>
        <source>Log out %1 on “%2”? At its next contact with the server that computer deletes its local data and asks for a new login.</source>
        <translation>%1 auf „%2“ abmelden? Beim nächsten Kontakt mit dem Server löscht dieser Computer seine lokalen Daten und verlangt eine neue Anmeldung.</translation>
    </message>
    <message>
        <source>Log out and delete its data</source>
        <translation>Abmelden und Daten löschen</translation>
    </message>
    <message>
        <source>Devices of the practice</source>
        <translation>Geräte der Praxis</translation>
    </message>
    <message>
        <source>Every computer where someone of the practice is signed in. Log out a lost or unknown device: it deletes its local data at its next contact with the server.</source>
        <translation>Alle Computer, auf denen jemand aus der Praxis angemeldet ist. Melden Sie ein verlorenes oder unbekanntes Gerät ab: Es löscht seine lokalen Daten beim nächsten Kontakt mit dem Server.</translation>
    </message>
    <message>
        <source>Log out device…</source>
        <translation>Gerät abmelden…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>This is your own device.</source>
        <translation>Das ist Ihr eigenes Gerät.</translation>
    </message>
</context>
<context>
    <name>PracticeSessionsModel</name>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview: %1</source>
        <translation>Vorschau: %1</translation>
    </message>
    <message>
        <source>This is how patients see the form on their page. Nothing you enter here is saved.</source>
        <translation>So sehen Patientinnen und Patienten das Formular auf ihrer Seite. Was Sie hier eingeben, wird nicht gespeichert.</translation>
    </message>
</context>
<context>
    <name>RecordExport</name>
    <message>
        <source>Saved to the patient record folder %1: %2</source>
        <translation>In den Ordner für die Patientenakte %1 gespeichert: %2</translation>
    </message>
    <message>
        <source>No folder for the patient record is set yet. Please choose one in Settings under “Export to the patient record”.</source>
        <translation>Es ist noch kein Ordner für die Patientenakte festgelegt. Bitte wählen Sie ihn in den Einstellungen unter „Export in die Patientenakte“.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist or cannot be reached. Please check it in Settings. Nothing was saved.</source>
        <translation>Der Ordner %1 existiert nicht oder ist nicht erreichbar. Bitte prüfen Sie ihn in den Einstellungen. Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>Praxisdesk may not write into the folder %1. Please choose another folder in Settings or ask your IT. Nothing was saved.</source>
        <translation>Praxisdesk darf nicht in den Ordner %1 schreiben. Bitte wählen Sie in den Einstellungen einen anderen Ordner oder fragen Sie Ihre IT. Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>There is not enough space in the folder %1. Nothing was saved.</source>
        <translation>Im Ordner %1 ist nicht genug Speicherplatz frei. Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>A form&apos;s PDF could not be downloaded (no connection to the server?). Please try again when online. Nothing was saved.</source>
        <translation>Das PDF eines Formulars konnte nicht geladen werden (keine Verbindung zum Server?). Bitte versuchen Sie es erneut, sobald Sie online sind. Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>This conversation is no longer on this computer (it may have been deleted). Nothing was saved.</source>
        <translation>Dieses Gespräch ist nicht mehr auf diesem Computer (vielleicht wurde es gelöscht). Es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>The export into %1 failed. Nothing was saved.</source>
        <translation>Der Export nach %1 ist fehlgeschlagen. Es wurde nichts gespeichert.</translation>
    </message>
</context>
<context>
    <name>RecordExportSection</name>
    <message>
        <source>Folder for the patient record</source>
        <translation>Ordner für die Patientenakte</translation>
    </message>
    <message>
        <source>No folder chosen yet</source>
        <translation>Noch kein Ordner gewählt</translation>
    </message>
    <message>
        <source>Export to the patient record</source>
        <translation>Export in die Patientenakte</translation>
    </message>
    <message>
        <source>“Export to the patient record” in a conversation saves it as a PDF and a GDT file for your practice management system in this folder. Document what matters before the conversation is deleted (after 105 days at the latest).</source>
        <translation>„Export in die Patientenakte“ in einem Gespräch speichert es als PDF- und GDT-Datei für Ihr Praxisverwaltungssystem in diesem Ordner. Dokumentieren Sie Wichtiges, bevor das Gespräch gelöscht wird (spätestens nach 105 Tagen).</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Ordner wählen…</translation>
    </message>
</context>
<context>
    <name>SectionEditor</name>
    <message>
        <source>Section</source>
        <translation>Abschnitt</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Shown above the section&apos;s questions and printed in the PDF, e.g. the wording of a consent.</source>
        <translation>Steht über den Fragen des Abschnitts und im PDF, z. B. der Wortlaut einer Einwilligung.</translation>
    </message>
</context>
<context>
    <name>SecurityErrors</name>
    <message>
        <source>The security code is wrong or has expired. Please enter the current code from your authenticator app.</source>
        <translation>Der Sicherheitscode ist falsch oder abgelaufen. Bitte geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Please check the network connection and try again.</source>
        <translation>Der Server ist nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>You are no longer signed in. Please sign in again and then try once more.</source>
        <translation>Sie sind nicht mehr angemeldet. Bitte melden Sie sich erneut an und versuchen Sie es dann noch einmal.</translation>
    </message>
    <message>
        <source>This device is already logged out. The list has been updated.</source>
        <translation>Dieses Gerät ist bereits abgemeldet. Die Liste wurde aktualisiert.</translation>
    </message>
    <message>
        <source>The account was changed in the meantime. The display has been updated; please try again.</source>
        <translation>Das Konto wurde zwischenzeitlich geändert. Die Anzeige wurde aktualisiert; bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Too many attempts. Please wait a minute and try again.</source>
        <translation>Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is invalid or not trusted, so no connection was made. Please contact your IT support.</source>
        <translation>Das Zertifikat des Servers ist ungültig oder nicht vertrauenswürdig, daher wurde keine Verbindung hergestellt. Bitte wenden Sie sich an Ihren IT-Support.</translation>
    </message>
    <message>
        <source>The system keyring is not available. Please unlock it and try again.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar. Bitte entsperren Sie ihn und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server could not carry out the request. Please try again later.</source>
        <translation>Der Server konnte die Anfrage nicht ausführen. Bitte versuchen Sie es später erneut.</translation>
    </message>
</context>
<context>
    <name>SecuritySection</name>
    <message>
        <source>on</source>
        <translation>eingeschaltet</translation>
    </message>
    <message>
        <source>off</source>
        <translation>ausgeschaltet</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Two-factor login:</source>
        <translation>Zwei-Faktor-Anmeldung:</translation>
    </message>
    <message>
        <source>Set up two-factor login…</source>
        <translation>Zwei-Faktor-Anmeldung einrichten…</translation>
    </message>
    <message>
        <source>Turn off…</source>
        <translation>Ausschalten…</translation>
    </message>
    <message>
        <source>Devices signed in to your account. Log out any device you do not recognise.</source>
        <translation>Geräte, auf denen Ihr Konto angemeldet ist. Melden Sie jedes Gerät ab, das Sie nicht kennen.</translation>
    </message>
    <message>
        <source>Log out device</source>
        <translation>Gerät abmelden</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>To log out this device, use “Log out” above.</source>
        <translation>Dieses Gerät melden Sie oben mit „Abmelden“ ab.</translation>
    </message>
</context>
<context>
    <name>ServerCompat</name>
    <message>
        <source>The server has version %1; this Praxisdesk version (%2) needs at least %3. Please inform your IT. You can keep working, but some things may not work.</source>
        <translation>Der Server hat Version %1; diese Praxisdesk-Version (%2) braucht mindestens %3. Bitte informieren Sie Ihre IT. Sie können weiterarbeiten, aber manches funktioniert möglicherweise nicht.</translation>
    </message>
    <message>
        <source>The server (version %1) is newer than this Praxisdesk version (%2) supports. Please install the update, or ask your IT to do so.</source>
        <translation>Der Server (Version %1) ist neuer als diese Praxisdesk-Version (%2) unterstützt. Bitte installieren Sie das Update oder bitten Sie Ihre IT darum.</translation>
    </message>
    <message>
        <source>The version of the server could not be determined. This Praxisdesk version (%1) works with server versions from %2 to below %3. If something does not work, please inform your IT.</source>
        <translation>Die Version des Servers ließ sich nicht feststellen. Diese Praxisdesk-Version (%1) arbeitet mit Server-Versionen ab %2 und unter %3. Falls etwas nicht funktioniert, informieren Sie bitte Ihre IT.</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <source>dd/MM/yyyy, HH:mm</source>
        <translation>dd.MM.yyyy, HH:mm</translation>
    </message>
    <message>
        <source>Unnamed device</source>
        <translation>Unbenanntes Gerät</translation>
    </message>
    <message>
        <source>%1 (this device)</source>
        <translation>%1 (dieses Gerät)</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Signed in since</source>
        <translation>Angemeldet seit</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>Zuletzt aktiv</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Display language</source>
        <translation>Anzeigesprache</translation>
    </message>
    <message>
        <source>Applies immediately.</source>
        <translation>Wird sofort übernommen.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Angemeldet als</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Practice team</source>
        <translation>Praxis-Team</translation>
    </message>
    <message>
        <source>Everyone with access to this practice, as last synchronised from the server.</source>
        <translation>Alle Personen mit Zugang zu dieser Praxis, Stand der letzten Synchronisierung mit dem Server.</translation>
    </message>
</context>
<context>
    <name>TemplatesSection</name>
    <message>
        <source>Only administrators can edit templates.</source>
        <translation>Nur Administrator:innen können Vorlagen bearbeiten.</translation>
    </message>
    <message>
        <source>This template was deleted in the meantime. The list has been updated.</source>
        <translation>Diese Vorlage wurde inzwischen gelöscht. Die Liste wurde aktualisiert.</translation>
    </message>
    <message>
        <source>The server did not accept the template. Please check title and text.</source>
        <translation>Der Server hat die Vorlage nicht angenommen. Bitte prüfen Sie Titel und Text.</translation>
    </message>
    <message>
        <source>Please enter a title.</source>
        <translation>Bitte geben Sie einen Titel ein.</translation>
    </message>
    <message>
        <source>The title is too long: %1 of at most %2 characters.</source>
        <translation>Der Titel ist zu lang: %1 von höchstens %2 Zeichen.</translation>
    </message>
    <message>
        <source>Please enter the text of the template.</source>
        <translation>Bitte geben Sie den Text der Vorlage ein.</translation>
    </message>
    <message>
        <source>The text is too long: %1 of at most %2 characters.</source>
        <translation>Der Text ist zu lang: %1 von höchstens %2 Zeichen.</translation>
    </message>
    <message>
        <source>Template saved.</source>
        <translation>Vorlage gespeichert.</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>Vorlage löschen</translation>
    </message>
    <message>
        <source>Delete the template “%1” for the whole practice?</source>
        <translation>Die Vorlage „%1“ für die ganze Praxis löschen?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Template deleted.</source>
        <translation>Vorlage gelöscht.</translation>
    </message>
    <message>
        <source>Reply templates</source>
        <translation>Textvorlagen</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <source>Withdraw</source>
        <translation>Zurückziehen</translation>
    </message>
    <message>
        <source>Form from the patient</source>
        <translation>Formular von der Patientin / dem Patienten</translation>
    </message>
    <message>
        <source>Request from the patient</source>
        <translation>Anfrage der Patientin / des Patienten</translation>
    </message>
    <message>
        <source>Internal note — not visible to patients</source>
        <translation>Interne Notiz — für Patient:innen nicht sichtbar</translation>
    </message>
    <message>
        <source>Sending failed</source>
        <translation>Senden fehlgeschlagen</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Erneut senden</translation>
    </message>
</context>
<context>
    <name>TotpDialog</name>
    <message>
        <source>Set up two-factor login</source>
        <translation>Zwei-Faktor-Anmeldung einrichten</translation>
    </message>
    <message>
        <source>Scan the QR code with an authenticator app on your phone. From then on, signing in also asks for the 6-digit code the app shows.</source>
        <translation>Scannen Sie den QR-Code mit einer Authenticator-App auf Ihrem Smartphone. Danach fragt die Anmeldung zusätzlich nach dem 6-stelligen Code, den die App anzeigt.</translation>
    </message>
    <message>
        <source>Cannot scan? Enter this key in the app:</source>
        <translation>Scannen nicht möglich? Geben Sie diesen Schlüssel in der App ein:</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <source>Turn off two-factor login</source>
        <translation>Zwei-Faktor-Anmeldung ausschalten</translation>
    </message>
    <message>
        <source>Without the second factor, your password alone gives access to patient data. Please confirm with the current code from your authenticator app.</source>
        <translation>Ohne zweiten Faktor genügt Ihr Passwort allein für den Zugriff auf Patientendaten. Bitte bestätigen Sie mit dem aktuellen Code aus Ihrer Authenticator-App.</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Ausschalten</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>6-digit code from the app</source>
        <translation>6-stelliger Code aus der App</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The QR code cannot be shown. Please enter the key below in your app.</source>
        <translation>Der QR-Code kann nicht angezeigt werden. Bitte geben Sie den Schlüssel unten in Ihrer App ein.</translation>
    </message>
    <message>
        <source>Please enter the 6 digits shown in your authenticator app.</source>
        <translation>Bitte geben Sie die 6 Ziffern ein, die Ihre Authenticator-App anzeigt.</translation>
    </message>
</context>
<context>
    <name>UrgentCallBanner</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>VideoAppointments</name>
    <message>
        <source>Scheduled</source>
        <translation>Geplant</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Im Gespräch</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgesagt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>%1 (entered: %2)</source>
        <translation>%1 (angegeben: %2)</translation>
    </message>
    <message>
        <source>Waiting since %1</source>
        <translation>Wartet seit %1</translation>
    </message>
</context>
<context>
    <name>VideoHistory</name>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>loss %1 %</source>
        <translation>Verlust %1 %</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
</context>
<context>
    <name>VideoPage</name>
    <message>
        <source>The video appointments could not be loaded.</source>
        <translation>Die Videotermine konnten nicht geladen werden.</translation>
    </message>
    <message>
        <source>Patient waiting in the waiting room: %1</source>
        <translation>Patient wartet im Wartezimmer: %1</translation>
    </message>
    <message>
        <source>%1 patients waiting in the waiting room: %2</source>
        <translation>%1 Patienten warten im Wartezimmer: %2</translation>
    </message>
    <message>
        <source>Earlier video calls: %1</source>
        <translation>Frühere Videosprechstunden: %1</translation>
    </message>
    <message>
        <source>Earlier video calls</source>
        <translation>Frühere Videosprechstunden</translation>
    </message>
    <message>
        <source>Select an appointment to see the patient&apos;s earlier video calls.</source>
        <translation>Wählen Sie einen Termin, um die früheren Videosprechstunden des Patienten zu sehen.</translation>
    </message>
    <message>
        <source>No video calls with this patient yet.</source>
        <translation>Noch keine Videosprechstunde mit diesem Patienten.</translation>
    </message>
    <message>
        <source>Video appointment created; the invitation has been sent (code %1).</source>
        <translation>Videotermin angelegt; die Einladung wurde gesendet (Code %1).</translation>
    </message>
    <message>
        <source>Cancel video appointment</source>
        <translation>Videotermin absagen</translation>
    </message>
    <message>
        <source>Cancel the video appointment at %1? The patient&apos;s link stops working.</source>
        <translation>Den Videotermin um %1 absagen? Der Link des Patienten wird ungültig.</translation>
    </message>
    <message>
        <source>Cancel appointment</source>
        <translation>Termin absagen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <source>Appointment cancelled.</source>
        <translation>Termin abgesagt.</translation>
    </message>
    <message>
        <source>A new link has been sent; the previous one no longer works.</source>
        <translation>Ein neuer Link wurde gesendet; der bisherige gilt nicht mehr.</translation>
    </message>
    <message>
        <source>Only physicians can admit patients into a video call.</source>
        <translation>Nur Ärztinnen und Ärzte können Patienten in eine Videosprechstunde einlassen.</translation>
    </message>
    <message>
        <source>The patient is no longer in the waiting room.</source>
        <translation>Der Patient ist nicht mehr im Wartezimmer.</translation>
    </message>
    <message>
        <source>This appointment no longer exists.</source>
        <translation>Diesen Termin gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>Video appointments can be made at most 31 days ahead and not in the past.</source>
        <translation>Videotermine sind höchstens 31 Tage im Voraus und nicht in der Vergangenheit möglich.</translation>
    </message>
    <message>
        <source>The server could not be reached; please try again.</source>
        <translation>Der Server ist nicht erreichbar; bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Video consultations today</source>
        <translation>Videosprechstunden heute</translation>
    </message>
    <message>
        <source>New video appointment…</source>
        <translation>Videotermin anlegen…</translation>
    </message>
    <message>
        <source>Admit and start</source>
        <translation>Einlassen und starten</translation>
    </message>
    <message>
        <source>Resend invitation</source>
        <translation>Einladung erneut senden</translation>
    </message>
    <message>
        <source>No video appointments today.</source>
        <translation>Heute keine Videotermine.</translation>
    </message>
</context>
</TS>
