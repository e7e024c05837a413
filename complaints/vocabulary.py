"""The closed lists of the domain, stored by value.

Their Chinese labels live in the message catalogue (``messages_zh.toml``,
keys ``channel.*``, ``role.*`` and so on), not here.
"""

from __future__ import annotations

import enum


class Channel(enum.StrEnum):
    WEB = "web"
    SMS = "sms"
    HOTLINE = "hotline"
    VOICE = "voice"
    API = "api"


class Role(enum.StrEnum):
    OPERATOR = "operator"      # hotline operators
    LIAISON = "liaison"        # one unit's case handlers
    LEAD = "lead"              # the housing bureau's dispatchers
    COMMISSION = "commission"  # discipline inspection commission, read-only
    ADMIN = "admin"            # accounts and configuration, no case contents


class UnitKind(enum.StrEnum):
    LEAD = "lead"
    PARTICIPATING = "participating"
    TOWNSHIP = "township"
    ZONE = "zone"
    COMMISSION = "commission"


class HouseStructure(enum.StrEnum):
    EARTH = "earth"                    # 土坯
    EARTH_WOOD = "earth-wood"          # 土木
    BRICK_WOOD = "brick-wood"          # 砖木
    BRICK_CONCRETE = "brick-concrete"  # 砖混
    OTHER = "other"
    UNKNOWN = "unknown"


class HouseholdType(enum.StrEnum):
    REGISTERED_POOR = "registered-poor"            # 建档立卡贫困户
    MINIMUM_ALLOWANCE = "minimum-allowance"        # 低保户
    DISPERSED_EXTREMELY_POOR = "extremely-poor"    # 农村分散供养特困人员
    ENTITLED_GROUPS = "entitled-groups"            # 优抚对象、革命"五老"人员
    DISABLED_POOR = "disabled-poor"                # 贫困残疾人家庭
    OTHER_POOR = "other-poor"                      # 其他贫困户
    UNKNOWN = "unknown"
