"""parclerk: sổ văn bản đến, nhiệm vụ và Chỉ số CCHC cho văn thư xã, phường."""

__version__ = "0.1.0"
