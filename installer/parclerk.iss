; Inno Setup 6 script: the parclerk installer, from the one-folder bundle dist\parclerk (pyinstaller build.spec).
; Per-user install, no administrator rights: the app goes to %LOCALAPPDATA%\Programs\parclerk, a Start-menu shortcut
; (and, if ticked, a desktop one) to parclerk.exe. The clerk's data stays in %APPDATA%\parclerk (platformdirs,
; parclerk/paths.py): the installer never writes there and the uninstaller never deletes it.
;
;   iscc /DAppVersion=0.1.0 installer\parclerk.iss      -> dist\installer\parclerk-0.1.0-setup.exe
;
; Inno Setup ships no Vietnamese translation (an unofficial one exists on jrsoftware.org, not bundled), so the
; wizard uses Default.isl (English) with the texts a clerk meets on this installer's pages overridden in Vietnamese
; in [Messages] below; rarer messages (disk errors, …) stay English. The file is UTF-8 (with a BOM, which
; Inno Setup before 6.3 needs to read it as UTF-8).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installer\parclerk.iss (from pyproject.toml)
#endif

[Setup]
; Fixed forever: Windows knows an installed parclerk, for upgrades and uninstall, by this id.
AppId={{C13E05E6-866B-40EC-8BFC-1B38BBF75612}
AppName=parclerk
AppVersion={#AppVersion}
AppVerName=parclerk {#AppVersion}
AppPublisher=parclerk
AppComments=Sổ văn bản đến, theo dõi nhiệm vụ và Chỉ số CCHC cho văn thư UBND xã, phường
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Cài đặt parclerk
; Per user, never asks for administrator rights; {userpf} is %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={userpf}\parclerk
DisableDirPage=yes
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; 64-bit Windows 10 1809 (build 17763) or later: what Qt 6 supports.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
SetupIconFile=..\resources\icons\parclerk.ico
UninstallDisplayIcon={app}\parclerk.exe
UninstallDisplayName=parclerk
WizardStyle=modern
ShowLanguageDialog=no
; The two exes carry the same Python archive: solid LZMA2 stores it once.
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\dist\installer
OutputBaseFilename=parclerk-{#AppVersion}-setup
; An upgrade or uninstall while parclerk runs: Windows asks it to close (it then makes its backup on exit).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "vi"; MessagesFile: "compiler:Default.isl"

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no DLL or plugin of the old version is left beside the new ones.
; (Only the program folder: the data folder is elsewhere.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\parclerk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\parclerk"; Filename: "{app}\parclerk.exe"; Comment: "Sổ văn bản đến, nhiệm vụ và Chỉ số CCHC"
Name: "{autodesktop}\parclerk"; Filename: "{app}\parclerk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\parclerk.exe"; Description: "{cm:LaunchProgram,parclerk}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes what the installer put in {app} and nothing else, so
; %APPDATA%\parclerk (database, original files, backups, logs) survives an uninstall and a reinstall.

[Messages]
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi
SetupAlreadyRunning=Chương trình cài đặt đang chạy.
WindowsVersionNotSupported=parclerk cần Windows 10 (phiên bản 1809 trở lên) hoặc Windows 11, bản 64-bit.
OnlyOnTheseArchitectures=parclerk chỉ cài được trên Windows 64-bit (x64).
WinVersionTooLowError=parclerk cần %1 phiên bản %2 trở lên (Windows 10 phiên bản 1809 hoặc Windows 11, bản 64-bit).
SetupAppRunningError=parclerk đang mở.%n%nHãy đóng parclerk rồi bấm Đồng ý để tiếp tục, hoặc Hủy bỏ để thoát.
UninstallAppRunningError=parclerk đang mở.%n%nHãy đóng parclerk rồi bấm Đồng ý để tiếp tục, hoặc Hủy bỏ để thoát.
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Chưa cài đặt xong. Nếu thoát bây giờ, parclerk sẽ không được cài.%n%nBạn có thể chạy lại chương trình cài đặt sau.%n%nThoát cài đặt?
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=Đồng ý
ButtonCancel=Hủy bỏ
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=K&hông với tất cả
ButtonFinish=&Hoàn tất
ClickNext=Bấm Tiếp để tiếp tục, hoặc Hủy bỏ để thoát.
WelcomeLabel1=Chào mừng bạn đến với chương trình cài đặt [name]
WelcomeLabel2=Chương trình sẽ cài [name/ver] vào máy tính này, cho riêng tài khoản Windows đang dùng (không cần quyền quản trị).%n%nDữ liệu của bạn (nếu đã có) được giữ nguyên.
WizardSelectTasks=Chọn thêm
SelectTasksDesc=Bạn muốn chương trình cài đặt làm thêm việc gì?
SelectTasksLabel2=Chọn các việc cần làm thêm khi cài [name], rồi bấm Tiếp.
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Chương trình đã sẵn sàng cài [name] vào máy tính này.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc Quay lại để xem lại các lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoDir=Thư mục cài đặt:
ReadyMemoTasks=Việc làm thêm:
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Chương trình đang chuẩn bị cài [name] vào máy tính này.
ApplicationsFound=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để chương trình cài đặt tự đóng chúng.
ApplicationsFound2=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để chương trình cài đặt tự đóng chúng; cài xong, chúng sẽ được mở lại.
CloseApplications=&Tự động đóng các chương trình này
DontCloseApplications=&Không đóng các chương trình này
WizardInstalling=Đang cài đặt
InstallingLabel=Vui lòng chờ trong khi [name] được cài vào máy tính này.
FinishedHeadingLabel=Đã cài đặt xong [name]
FinishedLabelNoIcons=[name] đã được cài vào máy tính này.
FinishedLabel=[name] đã được cài vào máy tính này. Mở chương trình từ biểu tượng trong menu Start.
ClickFinish=Bấm Hoàn tất để đóng chương trình cài đặt.
RunEntryExec=Mở %1
StatusClosingApplications=Đang đóng các chương trình…
StatusCreateDirs=Đang tạo thư mục…
StatusExtractFiles=Đang chép tệp…
StatusCreateIcons=Đang tạo biểu tượng…
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt…
StatusRunProgram=Đang hoàn tất…
StatusRollback=Đang hoàn lại các thay đổi…
SetupAborted=Chưa cài đặt xong.%n%nHãy khắc phục sự cố rồi chạy lại chương trình cài đặt.
ConfirmUninstall=Gỡ bỏ %1 khỏi máy tính này?%n%nDữ liệu (cơ sở dữ liệu, tệp gốc, bản sao lưu trong thư mục %%APPDATA%%\parclerk) được giữ lại.
UninstallStatusLabel=Vui lòng chờ trong khi %1 được gỡ khỏi máy tính này.
UninstalledAll=Đã gỡ %1 khỏi máy tính này. Dữ liệu của bạn vẫn còn trong thư mục %%APPDATA%%\parclerk.
UninstalledMost=Đã gỡ %1.%n%nMột số thành phần không gỡ được, bạn có thể xóa chúng bằng tay.
WizardUninstalling=Gỡ cài đặt
StatusUninstalling=Đang gỡ %1…

[CustomMessages]
AdditionalIcons=Biểu tượng:
CreateDesktopIcon=Tạo biểu tượng trên màn hình &Desktop
LaunchProgram=Mở %1 ngay
UninstallProgram=Gỡ cài đặt %1
