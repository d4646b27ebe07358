"""Who may change the funding instruments' eligibility rules.

| permission          | object | who               |
|---------------------|--------|-------------------|
| funding.edit_rules  | –      | core group, admin |
"""

from __future__ import annotations

import rules

from trechter.accounts.rules import is_core_group

rules.add_perm("funding.edit_rules", is_core_group)
