// The kiosk's keyboard style: Qt's built-in "default" style does the drawing; this one only sizes it
// after the kiosk's theme (see kiosk/ui/widgets/keyboard.py, which sets the context property
// kioskKeyboard): key glyphs at the theme's point size, rows at least the theme's touch target,
// and no built-in candidate strip (keyboard.qml draws a larger one of its own, with 更多).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

KeyboardStyle {
    id: kioskStyle

    readonly property var base: {
        const component = Qt.createComponent(
            "qrc:/qt-project.org/imports/QtQuick/VirtualKeyboard/Styles/Builtin/default/style.qml")
        return component.createObject(kioskStyle)
    }
    // The default style draws a letter at 60/800 of its keyboard height: give it the height that
    // makes that the theme's glyph size, whatever the real height.
    property Binding baseHeight: Binding {
        target: kioskStyle.base
        property: "keyboardHeight"
        value: kioskKeyboard.glyphPx * 800 / 60
    }

    // Four rows of keys, each at least the theme's touch target (plus the drawn gaps).
    keyboardDesignWidth: 2560
    keyboardDesignHeight: kioskKeyboard.designHeight
    keyboardDesignMaximumHeight: kioskKeyboard.maximumHeight
    keyboardRelativeLeftMargin: 6 / keyboardDesignWidth
    keyboardRelativeRightMargin: 6 / keyboardDesignWidth
    keyboardRelativeTopMargin: 6 / keyboardDesignHeight
    keyboardRelativeBottomMargin: 6 / keyboardDesignHeight

    keyboardBackground: base.keyboardBackground
    keyPanel: base.keyPanel
    backspaceKeyPanel: base.backspaceKeyPanel
    languageKeyPanel: base.languageKeyPanel
    enterKeyPanel: base.enterKeyPanel
    hideKeyPanel: base.hideKeyPanel
    shiftKeyPanel: base.shiftKeyPanel
    spaceKeyPanel: base.spaceKeyPanel
    symbolKeyPanel: base.symbolKeyPanel
    modeKeyPanel: base.modeKeyPanel
    handwritingKeyPanel: base.handwritingKeyPanel
    characterPreviewMargin: base.characterPreviewMargin
    characterPreviewDelegate: base.characterPreviewDelegate
    alternateKeysListItemWidth: base.alternateKeysListItemWidth
    alternateKeysListItemHeight: base.alternateKeysListItemHeight
    alternateKeysListTopMargin: base.alternateKeysListTopMargin
    alternateKeysListBottomMargin: base.alternateKeysListBottomMargin
    alternateKeysListLeftMargin: base.alternateKeysListLeftMargin
    alternateKeysListRightMargin: base.alternateKeysListRightMargin
    alternateKeysListDelegate: base.alternateKeysListDelegate
    alternateKeysListHighlight: base.alternateKeysListHighlight
    alternateKeysListBackground: base.alternateKeysListBackground
    selectionListHeight: 0
    selectionListDelegate: base.selectionListDelegate
    selectionListBackground: base.selectionListBackground
    navigationHighlight: base.navigationHighlight
    traceInputKeyPanelDelegate: base.traceInputKeyPanelDelegate
    traceCanvasDelegate: base.traceCanvasDelegate
    popupListDelegate: base.popupListDelegate
    popupListHighlight: base.popupListHighlight
    popupListBackground: base.popupListBackground
    languagePopupListEnabled: base.languagePopupListEnabled
    languageListDelegate: base.languageListDelegate
    languageListHighlight: base.languageListHighlight
    languageListBackground: base.languageListBackground
    selectionHandle: base.selectionHandle
    fullScreenInputContainerBackground: base.fullScreenInputContainerBackground
    fullScreenInputBackground: base.fullScreenInputBackground
    fullScreenInputMargins: base.fullScreenInputMargins
    fullScreenInputPadding: base.fullScreenInputPadding
    fullScreenInputCursor: base.fullScreenInputCursor
    fullScreenInputFont: base.fullScreenInputFont
    functionPopupListDelegate: base.functionPopupListDelegate
    functionPopupListBackground: base.functionPopupListBackground
    functionPopupListHighlight: base.functionPopupListHighlight
}
