"""公共法律服务自助终端: the public legal-service kiosk application."""

__version__ = "0.1.0"
