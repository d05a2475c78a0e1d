"""Info.plist entries of the macOS .app (the PyInstaller spec's BUNDLE reads them).

Without NSCameraUsageDescription / NSMicrophoneUsageDescription macOS silently denies the
camera and microphone to the video consultation; the German text is the default, the
English one comes from the en.lproj InfoPlist.strings the spec writes.
"""

from __future__ import annotations

BUNDLE_ID = "de.praxisdesk.client"

CAMERA_DE = "Praxisdesk braucht die Kamera für Videosprechstunden mit Patientinnen und Patienten."
MICROPHONE_DE = ("Praxisdesk braucht das Mikrofon für Videosprechstunden mit Patientinnen und "
                 "Patienten.")
CAMERA_EN = "Praxisdesk uses the camera for video consultations with patients."
MICROPHONE_EN = "Praxisdesk uses the microphone for video consultations with patients."


def info_plist(version: str) -> dict[str, object]:
    return {
        "CFBundleName": "Praxisdesk",
        "CFBundleDisplayName": "Praxisdesk",
        "CFBundleIdentifier": BUNDLE_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleDevelopmentRegion": "de",
        "CFBundleLocalizations": ["de", "en"],
        "LSMinimumSystemVersion": "12.0",
        "NSHighResolutionCapable": True,
        # As Qt's own Info.plist template: the Cocoa application class, and a category for
        # Finder and MDM inventories.
        "NSPrincipalClass": "NSApplication",
        "LSApplicationCategoryType": "public.app-category.medical",
        "NSCameraUsageDescription": CAMERA_DE,
        "NSMicrophoneUsageDescription": MICROPHONE_DE,
    }


def localized_strings() -> dict[str, dict[str, str]]:
    """InfoPlist.strings per .lproj folder."""
    return {
        "de": {"NSCameraUsageDescription": CAMERA_DE,
               "NSMicrophoneUsageDescription": MICROPHONE_DE},
        "en": {"NSCameraUsageDescription": CAMERA_EN,
               "NSMicrophoneUsageDescription": MICROPHONE_EN},
    }
