"""What is always on screen: brand, 12348 hotline, network state, content date, and the navigation
bar with 返回, 首页, the screen title, 朗读 and 大字模式."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.widgets.common import button, label


class Chrome(QWidget):
    back_clicked = Signal()
    home_clicked = Signal()
    read_clicked = Signal()
    elder_clicked = Signal()

    def __init__(self, brand: str = "公共法律服务"):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.header = QFrame()
        self.header.setObjectName("Header")
        top = QHBoxLayout(self.header)
        top.setContentsMargins(28, 14, 28, 14)
        top.setSpacing(24)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.brand = label(brand, "brand", wrap=False)
        titles.addWidget(self.brand)
        self.subtitle = label("自助服务终端", "status", wrap=False)
        titles.addWidget(self.subtitle)
        top.addLayout(titles)
        top.addStretch(1)
        self.hotline = label("法律服务热线 12348", "hotline", wrap=False)
        self.hotline.setObjectName("hotline")
        top.addWidget(self.hotline, 0, Qt.AlignmentFlag.AlignVCenter)
        status = QVBoxLayout()
        status.setSpacing(2)
        self.network = label("网络未连接", "status", wrap=False)
        self.network.setObjectName("network")
        self.content_date = label("", "status", wrap=False)
        self.content_date.setObjectName("content-date")
        for w in (self.network, self.content_date):
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
            status.addWidget(w)
        top.addLayout(status)
        outer.addWidget(self.header)

        self.navbar = QFrame()
        self.navbar.setObjectName("NavBar")
        nav = QHBoxLayout(self.navbar)
        nav.setContentsMargins(20, 10, 20, 10)
        nav.setSpacing(14)
        self.back_button = button("‹ 返回", self.back_clicked.emit, role="nav", name="nav-back")
        self.home_button = button("首页", self.home_clicked.emit, role="nav", name="nav-home")
        self.title = label("", "title", wrap=False)
        self.title.setObjectName("screen-title")
        self.read_button = button("朗读", self.read_clicked.emit, role="nav", name="nav-read")
        self.elder_button = button("大字模式", self.elder_clicked.emit, role="nav", name="nav-elder")
        self.elder_button.setCheckable(True)
        for b in (self.back_button, self.home_button):
            nav.addWidget(b)
        nav.addWidget(self.title, 1)
        nav.addWidget(self.read_button)
        nav.addWidget(self.elder_button)
        outer.addWidget(self.navbar)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def set_can_go_back(self, can: bool, at_home: bool) -> None:
        self.back_button.setEnabled(can)
        self.home_button.setEnabled(not at_home)

    def set_network(self, text: str) -> None:
        self.network.setText(text)

    def set_content_date(self, text: str) -> None:
        self.content_date.setText(text)

    def set_speaking(self, speaking: bool) -> None:
        self.read_button.setText("停止朗读" if speaking else "朗读")

    def set_elder(self, elder: bool) -> None:
        self.elder_button.setChecked(elder)
        self.elder_button.setText("标准字号" if elder else "大字模式")
