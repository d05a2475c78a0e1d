<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AppController</name>
    <message>
        <source>This device was signed out; the local data has been deleted.</source>
        <translation>This device was signed out; the local data has been deleted.</translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation type="unfinished">Praxisdesk</translation>
    </message>
    <message>
        <source>Patient waiting in the waiting room</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CacheResetNotice</name>
    <message>
        <source>The key of the local data cache was missing or could not be read. For your protection the local copy was deleted; it is being reloaded from the server. No data on the server was affected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallDetailView</name>
    <message>
        <source>Call from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller ID %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigned to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wished time: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The call is still being transcribed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No transcript.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished">Done</translation>
    </message>
    <message>
        <source>Open inquiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take as inquiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter the date of birth as DD.MM.YYYY.</source>
        <translation type="unfinished">Please enter the date of birth as DD.MM.YYYY.</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number copied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No phone application is set up for dialling on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the inquiry…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The inquiry is in the inbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To find or create the patient, enter the caller&apos;s name and date of birth and save them first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The call is still being analysed; please try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The inquiry could not be created. Please try again when the server is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording cannot be played (unknown format).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recording could not be loaded. It may have been deleted, or the server is not reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a call on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished">Name</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished">Date of birth</translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation type="unfinished">DD.MM.YYYY</translation>
    </message>
    <message>
        <source>Callback number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished">Save</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallTexts</name>
    <message>
        <source>Appointment</source>
        <translation type="unfinished">Appointment</translation>
    </message>
    <message>
        <source>Prescription</source>
        <translation type="unfinished">Prescription</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation type="unfinished">Referral</translation>
    </message>
    <message>
        <source>Sick note</source>
        <translation type="unfinished">Sick note</translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished">Results</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chest pain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heart symptoms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>breathing difficulties</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signs of a stroke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unconsciousness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heavy bleeding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>allergic shock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>poisoning or overdose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suicidal thoughts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seizure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signs of meningitis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>acute abdominal pain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pregnancy complications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low blood sugar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>burns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>severe injury</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>caller reports an emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fever in an infant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high fever in a vulnerable patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>critical medication running out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished">New</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished">In progress</translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished">Done</translation>
    </message>
    <message>
        <source>Being analysed…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 – urgent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent calls: %1 urgent calls are waiting. Click to open the newest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent call (%1, %2). Click to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An urgent call has come in. Please check the phone queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No audio device was found on this computer, so the recording cannot be played here. The transcript is shown above.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <source>No camera found: the patient sees a test picture instead of you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No microphone found: the patient cannot hear you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No speakers found: you cannot hear the patient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the patient failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only physicians can admit patients into a video call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient is no longer in the waiting room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The video call could not be started.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality: not measured yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTT %1 · loss %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No speakers found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admitting %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting with %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In call with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to %1 interrupted…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to %1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ending the call…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the patient&apos;s picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video call – %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microphone:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speakers:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A changed device is used from the next call on.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallsModel</name>
    <message>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished">Status</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message numerus="yes">
        <source>%n call(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished">Phone</translation>
    </message>
    <message>
        <source>All calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No calls. Calls answered by the phone assistant appear here with transcript and category; urgent calls come first, in red.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>No templates</source>
        <translation>No templates</translation>
    </message>
    <message>
        <source>No active forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach file</source>
        <translation>Attach file</translation>
    </message>
    <message>
        <source>Documents and images (*.pdf *.jpg *.jpeg *.png *.heic)</source>
        <translation>Documents and images (*.pdf *.jpg *.jpeg *.png *.heic)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>All files (*)</translation>
    </message>
    <message>
        <source>Write a message… (Enter sends, Shift+Enter starts a new line)</source>
        <translation>Write a message… (Enter sends, Shift+Enter starts a new line)</translation>
    </message>
    <message>
        <source>Send form…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a form to the patient to fill in and sign on their page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as note</source>
        <translation>Save as note</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Templates</translation>
    </message>
    <message>
        <source>Insert a text template</source>
        <translation>Insert a text template</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>Attach file…</translation>
    </message>
    <message>
        <source>Remove attachment</source>
        <translation>Remove attachment</translation>
    </message>
    <message>
        <source>Only the practice team sees internal notes.</source>
        <translation>Only the practice team sees internal notes.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline – working with local data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection to the practice server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>Former team member</source>
        <translation>Former team member</translation>
    </message>
    <message numerus="yes">
        <source>%n open request(s)</source>
        <translation>
            <numerusform>%n open request</numerusform>
            <numerusform>%n open requests</numerusform>
        </translation>
    </message>
    <message>
        <source>No open requests</source>
        <translation>No open requests</translation>
    </message>
    <message>
        <source>%1 of %2 open</source>
        <translation>%1 of %2 open</translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n open</numerusform>
            <numerusform>%n open</numerusform>
        </translation>
    </message>
    <message>
        <source>Download failed. Please try again.</source>
        <translation>Download failed. Please try again.</translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>Save attachment</translation>
    </message>
    <message>
        <source>Withdraw form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw the form “%1”? The patient can no longer fill it in, and what they have entered so far is deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to the server: the form was not sent. Please try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection to the server: the form was not withdrawn. Please try again when the connection is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This form was archived in the meantime. Please choose another one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient has already submitted this form; it can no longer be withdrawn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form could not be sent. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form could not be withdrawn. Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PDF could not be loaded (no connection to the server?). Please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) could not be sent.</source>
        <translation>
            <numerusform>%n message could not be sent.</numerusform>
            <numerusform>%n messages could not be sent.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a conversation on the left.</source>
        <translation>Select a conversation on the left.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Assigned to</translation>
    </message>
    <message>
        <source>Previous open request</source>
        <translation>Previous open request</translation>
    </message>
    <message>
        <source>Next open request</source>
        <translation>Next open request</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Send again</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Save as…</translation>
    </message>
    <message>
        <source>Export to patient record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saves this conversation as PDF and GDT file in the folder chosen in the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saves the conversation with the form&apos;s sealed PDF in the patient record folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateAppointmentDialog</name>
    <message>
        <source>New video appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient receives the link by e-mail (if known) and in the conversation, together with a code for joining at the practice&apos;s video page. The link opens 30 minutes before the appointment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create and send invitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date and time:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DirectoryModel</name>
    <message>
        <source>Administration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Physician</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished">Name</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished">E-mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EraseConfirmDialog</name>
    <message>
        <source>Erase patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All data of %1 will be deleted for good: the patient record, every conversation, message, file, request and internal note, on the server and on every computer of the practice. This cannot be undone. Export the data first if it must be kept (e.g. into the patient record).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To confirm, type the patient&apos;s name (%1):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Erase for good</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong. Your data is safe; you can keep working. If this happens again, please tell your IT support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error type: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>(not an earlier field: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Consent: only “Yes” can be submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer options</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One option per line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no minimum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only if</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A condition can only refer to a question that comes before this one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldInput</name>
    <message>
        <source>Number from %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation type="unfinished">DD.MM.YYYY</translation>
    </message>
    <message>
        <source>The patient signs here with the mouse, a finger or a pen.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormAnswersDialog</name>
    <message>
        <source>Answers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signed on %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This form has no answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormEditorDialog</name>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New section</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more problems.</source>
        <translation>
            <numerusform>… and %n more problem.</numerusform>
            <numerusform>… and %n more problems.</numerusform>
        </translation>
    </message>
    <message>
        <source>The form cannot be saved yet:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard your changes to this form?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit form – saving makes version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished">Title</translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a section or question on the left, or add one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished">Save</translation>
    </message>
</context>
<context>
    <name>FormOutline</name>
    <message>
        <source>(untitled section)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no question yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sections and questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormTexts</name>
    <message>
        <source>Short text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Long text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes / no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Single choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiple choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form&apos;s internal name “%1” is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The version number is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter a title for the form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form&apos;s title is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The description is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form needs at least one section.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A form can have at most %2 sections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A form can have at most %2 fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has an invalid internal name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” uses an internal name that is already taken.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A section has no title. Please enter one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section “%1”: the title is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section “%1”: the text is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section “%1” has no fields. Add a field or remove the section.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A field in section “%3” has no question. Please enter one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the question is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the help text is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has an unknown field type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” needs at least one answer option.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has an empty answer option.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” lists the answer option “%2” twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: an answer option is too long (at most %2 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has too many answer options (at most %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: only choice fields have answer options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: only number fields have a smallest and largest value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the smallest and largest value must be numbers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the smallest value is greater than the largest value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: only text fields have a maximum length.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the maximum length must be between 1 and %2 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: only yes/no fields can require the answer “Yes”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is shown depending on a field that does not come before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” cannot be shown depending on the signature “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1”: the value of the condition does not fit the field “%2”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The form has a problem (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Section %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question %1 in section %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FormsModel</name>
    <message>
        <source>Form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished">Status</translation>
    </message>
</context>
<context>
    <name>FormsSection</name>
    <message>
        <source>Only administrators can change forms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The practice already has a form with this name. Edit that form instead, or choose another title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not accept the form. Please check its questions and conditions and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This form no longer exists. The list has been updated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not offer forms yet. Please ask your IT support to update the Praxisdesk server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” saved as version %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %2 of “%1” is active again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %2 of “%1” is archived; it can no longer be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forms patients fill in and sign on their page, e.g. anamnesis or consent. A saved form is never changed: editing it makes a new version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New from template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InboxDelegate</name>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n open</numerusform>
            <numerusform>%n open</numerusform>
        </translation>
    </message>
    <message>
        <source>Assigned: %1</source>
        <translation>Assigned: %1</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <source>No matches</source>
        <translation>No matches</translation>
    </message>
    <message>
        <source>No messages</source>
        <translation>No messages</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message>
        <source>All assignees</source>
        <translation>All assignees</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Inbox</translation>
    </message>
    <message>
        <source>Search names, messages, notes (Ctrl+F)</source>
        <translation>Search names, messages, notes (Ctrl+F)</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>New conversation</translation>
    </message>
    <message>
        <source>Start a conversation with a patient (Ctrl+N)</source>
        <translation>Start a conversation with a patient (Ctrl+N)</translation>
    </message>
    <message>
        <source>All request types</source>
        <translation>All request types</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Any status</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Unread only</translation>
    </message>
</context>
<context>
    <name>InboxTexts</name>
    <message>
        <source>Appointment</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Prescription</source>
        <translation>Prescription</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Referral</translation>
    </message>
    <message>
        <source>Sick note</source>
        <translation>Sick note</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Other request</source>
        <translation>Other request</translation>
    </message>
    <message>
        <source>Form completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Reason: %1</translation>
    </message>
    <message>
        <source>Preferred times: %1</source>
        <translation>Preferred times: %1</translation>
    </message>
    <message>
        <source>Medication: %1</source>
        <translation>Medication: %1</translation>
    </message>
    <message>
        <source>Specialty: %1</source>
        <translation>Specialty: %1</translation>
    </message>
    <message>
        <source>Period: %1 to %2</source>
        <translation>Period: %1 to %2</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>Subject: %1</translation>
    </message>
    <message>
        <source>Form: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more answer(s)</source>
        <translation>
            <numerusform>… and %n more answer</numerusform>
            <numerusform>… and %n more answers</numerusform>
        </translation>
    </message>
    <message>
        <source>Will be deleted today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will be deleted tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Will be deleted in %n day(s)</source>
        <translation>
            <numerusform>Will be deleted in %n day</numerusform>
            <numerusform>Will be deleted in %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 bytes</translation>
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
        <translation>%1 messages synchronised</translation>
    </message>
    <message>
        <source>%1 of %2 messages synchronised</source>
        <translation>%1 of %2 messages synchronised</translation>
    </message>
    <message>
        <source>New request</source>
        <translation>New request</translation>
    </message>
    <message>
        <source>Form “%1” completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form “%1” withdrawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form “%1” sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seal valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seal broken – the document was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seal not from this practice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InboxTray</name>
    <message numerus="yes">
        <source>Praxisdesk – %n unread conversation(s)</source>
        <translation>
            <numerusform>Praxisdesk – %n unread conversation</numerusform>
            <numerusform>Praxisdesk – %n unread conversations</numerusform>
        </translation>
    </message>
    <message>
        <source>Praxisdesk – no unread messages</source>
        <translation>Praxisdesk – no unread messages</translation>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in – please note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to your practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the address of your practice server and your personal access.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 digits from your authenticator app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter the server address, your e-mail address and your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter the security code.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginErrors</name>
    <message>
        <source>The e-mail address or the password is wrong. Please check both and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your account is protected with a second factor. Please enter the 6-digit security code from your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The security code is wrong or has expired. Please enter the current code from your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Too many failed sign-in attempts. The account is locked for %n more minute(s).</source>
        <translation>
            <numerusform>Too many failed sign-in attempts. The account is locked for %n more minute.</numerusform>
            <numerusform>Too many failed sign-in attempts. The account is locked for %n more minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server cannot be reached. Please check the server address and the network connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is invalid or not trusted, so no connection was made. Please contact your IT support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unencrypted connections (http://) are only allowed to this computer. Please use an https:// address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring is not available, so the login cannot be stored securely. Please unlock or set up the keyring and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server gave an unexpected answer. Please check that the address belongs to a Praxisdesk server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in failed because of a server error. Please try again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Inbox</source>
        <translation type="unfinished">Inbox</translation>
    </message>
    <message>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished">Phone</translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation type="unfinished">Praxisdesk</translation>
    </message>
    <message>
        <source>Video (%1 waiting)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewConversationDialog</name>
    <message>
        <source>Please enter the patient&apos;s name.</source>
        <translation>Please enter the patient&apos;s name.</translation>
    </message>
    <message>
        <source>Please enter the date of birth.</source>
        <translation>Please enter the date of birth.</translation>
    </message>
    <message>
        <source>Please enter the date of birth as DD.MM.YYYY.</source>
        <translation>Please enter the date of birth as DD.MM.YYYY.</translation>
    </message>
    <message>
        <source>The date of birth cannot be in the future or before 1900.</source>
        <translation>The date of birth cannot be in the future or before 1900.</translation>
    </message>
    <message>
        <source>The e-mail address does not look right.</source>
        <translation>The e-mail address does not look right.</translation>
    </message>
    <message>
        <source>The phone number may contain only digits, spaces and + ( ) / -.</source>
        <translation>The phone number may contain only digits, spaces and + ( ) / -.</translation>
    </message>
    <message>
        <source>The conversation could not be started. Please check the connection and try again.</source>
        <translation>The conversation could not be started. Please check the connection and try again.</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>New conversation</translation>
    </message>
    <message>
        <source>The patient receives a secure link by e-mail to reply from any browser.</source>
        <translation>The patient receives a secure link by e-mail to reply from any browser.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>DD.MM.YYYY</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Start conversation</source>
        <translation>Start conversation</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PatientLinkControls</name>
    <message>
        <source>Link revoked</source>
        <translation>Link revoked</translation>
    </message>
    <message>
        <source>No link</source>
        <translation>No link</translation>
    </message>
    <message>
        <source>Link expired</source>
        <translation>Link expired</translation>
    </message>
    <message>
        <source>Link valid until %1</source>
        <translation>Link valid until %1</translation>
    </message>
    <message>
        <source>Revoke link</source>
        <translation>Revoke link</translation>
    </message>
    <message>
        <source>Revoke the patient&apos;s link? Every link of this conversation stops working at once; the patient can only write again after you create a new one.</source>
        <translation>Revoke the patient&apos;s link? Every link of this conversation stops working at once; the patient can only write again after you create a new one.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <source>Patient link</source>
        <translation>Patient link</translation>
    </message>
    <message>
        <source>Create new link…</source>
        <translation>Create new link…</translation>
    </message>
    <message>
        <source>Revoke link…</source>
        <translation>Revoke link…</translation>
    </message>
</context>
<context>
    <name>PatientLinkDialog</name>
    <message>
        <source>New patient link</source>
        <translation>New patient link</translation>
    </message>
    <message>
        <source>Give this link to the patient. Older links of this conversation no longer work. The link is shown only now.</source>
        <translation>Give this link to the patient. Older links of this conversation no longer work. The link is shown only now.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>PatientRightsControls</name>
    <message>
        <source>Patient data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save patient data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ZIP archive (*.zip)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient data exported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All data of the patient was saved to %1. The file is not encrypted: keep it safe and delete it once it has been handed over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient erased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All data of %1 was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all data (Art. 15/20 GDPR)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Erase patient (Art. 17 GDPR)…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientVideoControls</name>
    <message>
        <source>New video appointment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier video calls: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier video calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier video calls:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video appointment and earlier video calls</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PracticeDevicesSection</name>
    <message>
        <source>Unnamed device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out %1 on “%2”? At its next contact with the server that computer deletes its local data and asks for a new login.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out and delete its data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices of the practice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every computer where someone of the practice is signed in. Log out a lost or unknown device: it deletes its local data at its next contact with the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is your own device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PracticeSessionsModel</name>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is how patients see the form on their page. Nothing you enter here is saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordExport</name>
    <message>
        <source>Saved to the patient record folder %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No folder for the patient record is set yet. Please choose one in Settings under “Export to the patient record”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder %1 does not exist or cannot be reached. Please check it in Settings. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Praxisdesk may not write into the folder %1. Please choose another folder in Settings or ask your IT. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is not enough space in the folder %1. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A form&apos;s PDF could not be downloaded (no connection to the server?). Please try again when online. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This conversation is no longer on this computer (it may have been deleted). Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export into %1 failed. Nothing was saved.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordExportSection</name>
    <message>
        <source>Folder for the patient record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No folder chosen yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to the patient record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“Export to the patient record” in a conversation saves it as a PDF and a GDT file for your practice management system in this folder. Document what matters before the conversation is deleted (after 105 days at the latest).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SectionEditor</name>
    <message>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished">Title</translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished">Text</translation>
    </message>
    <message>
        <source>Shown above the section&apos;s questions and printed in the PDF, e.g. the wording of a consent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecurityErrors</name>
    <message>
        <source>The security code is wrong or has expired. Please enter the current code from your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Please check the network connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are no longer signed in. Please sign in again and then try once more.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device is already logged out. The list has been updated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account was changed in the meantime. The display has been updated; please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many attempts. Please wait a minute and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s certificate is invalid or not trusted, so no connection was made. Please contact your IT support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system keyring is not available. Please unlock it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not carry out the request. Please try again later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecuritySection</name>
    <message>
        <source>on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two-factor login:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up two-factor login…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn off…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices signed in to your account. Log out any device you do not recognise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To log out this device, use “Log out” above.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerCompat</name>
    <message>
        <source>The server has version %1; this Praxisdesk version (%2) needs at least %3. Please inform your IT. You can keep working, but some things may not work.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server (version %1) is newer than this Praxisdesk version (%2) supports. Please install the update, or ask your IT to do so.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The version of the server could not be determined. This Praxisdesk version (%1) works with server versions from %2 to below %3. If something does not work, please inform your IT.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <source>dd/MM/yyyy, HH:mm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unnamed device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last active</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Display language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applies immediately.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice team</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone with access to this practice, as last synchronised from the server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplatesSection</name>
    <message>
        <source>Only administrators can edit templates.</source>
        <translation>Only administrators can edit templates.</translation>
    </message>
    <message>
        <source>This template was deleted in the meantime. The list has been updated.</source>
        <translation>This template was deleted in the meantime. The list has been updated.</translation>
    </message>
    <message>
        <source>The server did not accept the template. Please check title and text.</source>
        <translation>The server did not accept the template. Please check title and text.</translation>
    </message>
    <message>
        <source>Please enter a title.</source>
        <translation>Please enter a title.</translation>
    </message>
    <message>
        <source>The title is too long: %1 of at most %2 characters.</source>
        <translation>The title is too long: %1 of at most %2 characters.</translation>
    </message>
    <message>
        <source>Please enter the text of the template.</source>
        <translation>Please enter the text of the template.</translation>
    </message>
    <message>
        <source>The text is too long: %1 of at most %2 characters.</source>
        <translation>The text is too long: %1 of at most %2 characters.</translation>
    </message>
    <message>
        <source>Template saved.</source>
        <translation>Template saved.</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>Delete template</translation>
    </message>
    <message>
        <source>Delete the template “%1” for the whole practice?</source>
        <translation>Delete the template “%1” for the whole practice?</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Template deleted.</source>
        <translation>Template deleted.</translation>
    </message>
    <message>
        <source>Reply templates</source>
        <translation>Reply templates</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Delete…</translation>
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <source>Withdraw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Form from the patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request from the patient</source>
        <translation>Request from the patient</translation>
    </message>
    <message>
        <source>Internal note — not visible to patients</source>
        <translation>Internal note — not visible to patients</translation>
    </message>
    <message>
        <source>Sending failed</source>
        <translation>Sending failed</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>TotpDialog</name>
    <message>
        <source>Set up two-factor login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the QR code with an authenticator app on your phone. From then on, signing in also asks for the 6-digit code the app shows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot scan? Enter this key in the app:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn off two-factor login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without the second factor, your password alone gives access to patient data. Please confirm with the current code from your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6-digit code from the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished">Cancel</translation>
    </message>
    <message>
        <source>The QR code cannot be shown. Please enter the key below in your app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please enter the 6 digits shown in your authenticator app.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UrgentCallBanner</name>
    <message>
        <source>Open</source>
        <translation type="unfinished">Open</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoAppointments</name>
    <message>
        <source>Scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished">Status</translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (entered: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting since %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoHistory</name>
    <message>
        <source>RTT %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss %1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quality</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VideoPage</name>
    <message>
        <source>The video appointments could not be loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient waiting in the waiting room: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 patients waiting in the waiting room: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier video calls: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier video calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an appointment to see the patient&apos;s earlier video calls.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No video calls with this patient yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video appointment created; the invitation has been sent (code %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel video appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the video appointment at %1? The patient&apos;s link stops working.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel appointment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appointment cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new link has been sent; the previous one no longer works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only physicians can admit patients into a video call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient is no longer in the waiting room.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This appointment no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video appointments can be made at most 31 days ahead and not in the past.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server could not be reached; please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video consultations today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New video appointment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admit and start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend invitation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No video appointments today.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
