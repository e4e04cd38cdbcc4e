// Qt Virtual Keyboard docked inside the kiosk window (Pinyin and Latin).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    implicitHeight: panel.height
    InputPanel {
        id: panel
        objectName: "inputPanel"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
    }
}
