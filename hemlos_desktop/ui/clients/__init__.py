"""The Clients area: the client list, the registration/edit form and the tabs of open cases."""

from hemlos_desktop.ui.clients.client_form import ClientFormDialog
from hemlos_desktop.ui.clients.client_list import ClientListWidget
from hemlos_desktop.ui.clients.page import ClientsPage

__all__ = ["ClientFormDialog", "ClientListWidget", "ClientsPage"]
