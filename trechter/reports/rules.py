"""Who may change the agenda document's own texts.

| permission               | object | who               |
|--------------------------|--------|-------------------|
| reports.edit_conclusions | –      | core group, admin |
"""

from __future__ import annotations

import rules

from trechter.accounts.rules import is_core_group

rules.add_perm("reports.edit_conclusions", is_core_group)
