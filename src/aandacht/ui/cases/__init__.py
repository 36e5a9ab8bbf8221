"""The AF's personal case log: list, form, case view (issue "Het logboek").

Kept free of imports on purpose: importing `aandacht.ui.cases.case_view` should not pay
for the list page and vice versa.
"""
