"""Supervision cards (督办卡): issue, sign, rectify, verify and close (销号), with escalation (the supervision issue)."""
