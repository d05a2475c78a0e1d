<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
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
    <name>LoginDialog</name>
    <message>
        <source>Sign in – Praxisdesk</source>
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
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages from patients and every incoming request – appointments, prescriptions, referrals and sick notes – will be collected here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Video consultations will be started and joined here: end-to-end encrypted, and patients join from a link without an account.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calls answered by the phone assistant will wait here for review, with transcript and category; urgent calls come first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Praxisdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
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
        <translation type="unfinished"></translation>
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
</TS>
