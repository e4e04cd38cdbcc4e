// The kiosk's on-screen keyboard: Qt Virtual Keyboard (Pinyin and Latin) under a candidate bar of
// our own. The bar is always there, from the first keyboard of a session on (Qt's own strip only
// appeared once the panel had been shown twice), its cells and glyphs follow the theme, it offers the
// domain words of kiosk.domain_words before the engine's, and 更多 opens a large page of every
// candidate. 手写 switches to the handwriting pad (drawn by Qt Widgets, see handwriting_pad.py).
// Sizes and words come from the context property kioskKeyboard (KeyboardBridge in keyboard.py).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Rectangle {
    id: root
    color: "#263238"
    implicitHeight: bar.height + panel.height

    readonly property var engineModel: InputContext.inputEngine.wordCandidateListModel
    readonly property string preedit: InputContext.preeditText
    // [{text, domain, index}] — domain words first, then the engine's candidates (no repeats)
    property var words: []
    property bool morePage: false

    function refresh() {
        const out = []
        const seen = {}
        const typed = preedit.replace(/[' ]/g, "")
        if (/^[a-z]+$/.test(typed)) {  // letters only: nothing chosen from the engine yet
            const domain = kioskKeyboard.domainWords(typed)
            for (let i = 0; i < domain.length; ++i) {
                seen[domain[i]] = true
                out.push({ text: domain[i], domain: true, index: i })
            }
        }
        const model = engineModel
        const count = model ? model.count : 0
        for (let j = 0; j < count; ++j) {
            const text = String(model.dataAt(j))
            if (!seen[text]) {
                seen[text] = true
                out.push({ text: text, domain: false, index: j })
            }
        }
        words = out
        if (out.length === 0)
            morePage = false
        candidateBar.positionViewAtBeginning()
    }

    function choose(position) {
        const word = words[position]
        if (!word)
            return
        morePage = false
        if (word.domain) {
            // The whole typed syllable string becomes the domain word. The Pinyin engine ignores
            // reset() here, so it is told to take the letters back one by one (as the resident
            // would with ⌫), and the word is entered once nothing is pending.
            let letters = root.preedit.replace(/[' ]/g, "").length
            while (letters-- > 0 && root.preedit.length > 0)
                InputContext.inputEngine.virtualKeyClick(Qt.Key_Backspace, "", Qt.NoModifier)
            InputContext.commit(word.text)
        } else {
            engineModel.selectItem(word.index)
        }
        kioskKeyboard.chosen(word.text)
    }

    Connections {
        target: root.engineModel
        function onCountChanged() { root.refresh() }
        function onModelReset() { root.refresh() }
        function onDataChanged() { root.refresh() }
    }
    onPreeditChanged: refresh()
    onEngineModelChanged: refresh()

    // &123 with letters still pending: they become the first candidate (what the bar shows
    // highlighted), not Latin letters in the field.
    Connections {
        target: panel.keyboard
        function onActiveKeyChanged() {
            const key = panel.keyboard.activeKey
            if (key && key.key === Qt.Key_Context1 && root.preedit.length > 0 && root.words.length > 0)
                root.choose(0)
        }
    }

    Rectangle {
        id: bar
        objectName: "candidateBar"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        height: kioskKeyboard.cellPx
        color: "#1c262b"

        Rectangle {
            id: handwritingKey
            objectName: "handwritingKey"
            property string text: "手写"
            // not for a phone number: the dial pad is quicker than writing digits
            visible: !(InputContext.inputMethodHints & (Qt.ImhDialableCharactersOnly | Qt.ImhDigitsOnly))
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            width: Math.max(kioskKeyboard.cellPx * 1.6, handwritingLabel.implicitWidth + 32)
            color: handwritingArea.pressed ? "#4f83cc" : "#01579b"
            Text {
                id: handwritingLabel
                anchors.centerIn: parent
                text: "✍ 手写"
                color: "white"
                font.pixelSize: kioskKeyboard.candidatePx
            }
            MouseArea {
                id: handwritingArea
                anchors.fill: parent
                onClicked: {
                    // Pinyin still pending becomes its first candidate, as with &123.
                    if (root.preedit.length > 0 && root.words.length > 0)
                        root.choose(0)
                    kioskKeyboard.handwritingRequested()
                }
            }
        }

        ListView {
            id: candidateBar
            objectName: "candidateList"
            anchors.left: handwritingKey.visible ? handwritingKey.right : parent.left
            anchors.right: moreKey.visible ? moreKey.left : parent.right
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            orientation: ListView.Horizontal
            clip: true
            model: root.words
            delegate: Rectangle {
                objectName: "candidate"
                property string text: modelData.text
                width: Math.max(kioskKeyboard.cellPx, label.implicitWidth + kioskKeyboard.cellPx / 2)
                height: candidateBar.height
                color: area.pressed ? "#4f5b62" : (index === 0 ? "#37474f" : "transparent")
                Text {
                    id: label
                    anchors.centerIn: parent
                    text: modelData.text
                    color: modelData.domain ? "#ffe08a" : "white"
                    font.pixelSize: kioskKeyboard.candidatePx
                }
                Rectangle {
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    width: 2
                    height: parent.height / 2
                    color: "#4f5b62"
                }
                MouseArea {
                    id: area
                    anchors.fill: parent
                    onClicked: root.choose(index)
                }
            }
        }

        Rectangle {
            id: moreKey
            objectName: "moreKey"
            property string text: "更多"
            visible: root.words.length > 1
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            width: Math.max(kioskKeyboard.cellPx * 1.6, moreLabel.implicitWidth + 32)
            color: moreArea.pressed ? "#4f83cc" : "#01579b"
            Text {
                id: moreLabel
                anchors.centerIn: parent
                text: root.morePage ? "收起" : "更多"
                color: "white"
                font.pixelSize: kioskKeyboard.candidatePx
            }
            MouseArea {
                id: moreArea
                anchors.fill: parent
                onClicked: root.morePage = !root.morePage
            }
        }
    }

    InputPanel {
        id: panel
        objectName: "inputPanel"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: bar.bottom
    }

    // 更多: every candidate in large cells over the keys; a tap enters it, 收起 returns to the keys.
    Rectangle {
        id: more
        objectName: "morePage"
        visible: root.morePage
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: bar.bottom
        anchors.bottom: parent.bottom
        color: "#263238"
        GridView {
            id: moreGrid
            objectName: "moreGrid"
            anchors.fill: parent
            anchors.margins: 4
            clip: true
            cellWidth: Math.floor(width / Math.max(1, Math.floor(width / (kioskKeyboard.cellPx * 2))))
            cellHeight: kioskKeyboard.cellPx + 8
            model: root.morePage ? root.words : []
            delegate: Rectangle {
                objectName: "candidate"
                property string text: modelData.text
                width: moreGrid.cellWidth - 6
                height: moreGrid.cellHeight - 6
                radius: 6
                color: cellArea.pressed ? "#4f5b62" : "#000a12"
                Text {
                    anchors.centerIn: parent
                    width: parent.width - 8
                    horizontalAlignment: Text.AlignHCenter
                    elide: Text.ElideRight
                    text: modelData.text
                    color: modelData.domain ? "#ffe08a" : "white"
                    font.pixelSize: kioskKeyboard.candidatePx
                }
                MouseArea {
                    id: cellArea
                    anchors.fill: parent
                    onClicked: root.choose(index)
                }
            }
        }
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
        refresh()
    }
}
