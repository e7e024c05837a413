"""What the quarterly report's workbook and PDF both print: title, headers, cells, facts."""

from __future__ import annotations

from datetime import timedelta

from complaints.core.clock import to_local
from complaints.reports.quarterly import QuarterlyReport, UnitRow

HEADERS = ["单位", "本季度收到", "上季度结转", "办结（次）", "其中按期", "仍在办理", "移送其他部门",
           "移送纪检监察机关", "退回牵头单位", "季末超期", "批准延期", "办结用时中位数（工作日）",
           "办结用时90%（工作日）", "满意回复/评价"]


def quarter_title(report: QuarterlyReport) -> str:
    q = report.quarter
    return f"{q.year}年第{'一二三四'[q.number - 1]}季度推动房屋结构安全隐患大排查大整治问题线索情况报告"


def unit_cells(row: UnitRow) -> list[object]:
    moved = "；".join(f"{name} {count}" for name, count in sorted(row.transferred_out.items()))
    return [row.name, row.received, row.carried_over, row.resolved, row.resolved_on_time,
            row.in_progress, f"{row.transferred_total}（{moved}）" if moved else 0,
            row.to_commission, row.returned, row.overdue, row.extensions,
            row.median_days if row.median_days is not None else "—",
            row.p90_days if row.p90_days is not None else "—",
            f"{row.satisfied}/{row.asked}" if row.asked else "—"]


def report_facts(report: QuarterlyReport) -> list[str]:
    made = to_local(report.generated_at)
    last_day = report.quarter.next_first_day - timedelta(days=1)
    return [f"季度：{report.quarter.label}（{report.quarter.first_day} 至 {last_day}，北京时间）",
            f"生成时间：{made:%Y-%m-%d %H:%M}",
            f"审计链：第 {report.chain_seq} 条记录，哈希 {report.chain_hash}"]
