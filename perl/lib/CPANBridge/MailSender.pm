package Mail::Sender;
# The second half of perl/compat/Mail/Sender.pm: Open/OpenMultipart, the body and its parts, and
# Close, which has the daemon send what was spooled. Each method writes what the real one prints
# to its socket, in the same order.
use strict;
use warnings;
no warnings 'uninitialized';
our ($Error, $NO_X_MAILER, $NO_DATE, $NO_MESSAGE_ID, $SITE_HEADERS, $LastResponse, $GMTdiff, $VERSION);
our ($local_name, $local_IP, @priority, $chunksize, $chunksize64, $enc_base64_chunk);

# Open's and OpenMultipart's arguments into the object (the values stay for later messages)
sub _take_args {
    my ($self, $multipart, @args) = @_;
    my %changed;
    if (ref $args[0] eq 'HASH') {
        my $hash = $args[0];
        $hash->{'multipart'} = $hash->{'subtype'} if $multipart and defined $hash->{'subtype'};
        $hash->{'reply'} = $hash->{'replyto'} if (defined $hash->{'replyto'} and !defined $hash->{'reply'});
        foreach my $key (keys %$hash) {
            if (ref($hash->{$key}) eq 'HASH' and exists $self->{lc $key}) {
                if (ref($self->{lc $key}) eq 'HASH') { $self->{lc $key} = {%{$self->{lc $key}}, %{$hash->{$key}}} }
                else { $self->{lc $key} = {%{$hash->{$key}}} }
            }
            else {
                $self->{lc $key} = $hash->{$key};
            }
            $changed{lc $key} = 1;
        }
    }
    else {
        my ($from, $reply, $to, $smtp, $subject, $headers, $boundary) = @args;
        if ($from)    { $self->{'from'}    = $from;    $changed{'from'}    = 1 }
        if ($reply)   { $self->{'reply'}   = $reply;   $changed{'reply'}   = 1 }
        if ($to)      { $self->{'to'}      = $to;      $changed{'to'}      = 1 }
        if ($smtp)    { $self->{'smtp'}    = $smtp;    $changed{'smtp'}    = 1 }
        if ($subject) { $self->{'subject'} = $subject; $changed{'subject'} = 1 }
        if ($headers) { $self->{'headers'} = $headers; $changed{'headers'} = 1 }
        if ($multipart and $boundary) { $self->{'boundary'} = $boundary }
    }
    $self->_unsupported;
    $self->_prepare_addresses('to')  if $changed{'to'};
    $self->_prepare_addresses('cc')  if $changed{'cc'};
    $self->_prepare_addresses('bcc') if $changed{'bcc'};
    $self->_prepare_ESMTP() if defined $changed{'esmtp'};
    $self->{'boundary'} =~ tr/=/-/ if $changed{'boundary'};
    $self->_prepare_headers() if $multipart and $changed{'headers'};
    return $self->Error(_NOFROMSPECIFIED()) unless defined $self->{'from'};
    if ($changed{'from'}) {
        $self->{'fromaddr'} = $self->{'from'};
        $self->{'fromaddr'} =~ s/.*<([^\s]*?)>/$1/;
    }
    if ($changed{'reply'}) {
        $self->{'replyaddr'} = $self->{'reply'};
        $self->{'replyaddr'} =~ s/.*<([^\s]*?)>/$1/;
        $self->{'replyaddr'} =~ s/^([^\s]+).*/$1/;
    }
    if ($changed{'smtp'}) {
        $self->{'smtp'} =~ s/^\s+//g;
        $self->{'smtp'} =~ s/\s+$//g;
        $self->{'smtpaddr'} = Socket::inet_aton($self->{'smtp'});
        return $self->Error(_HOSTNOTFOUND($self->{'smtp'})) unless defined $self->{'smtpaddr'};
    }
    $self->_prepare_headers() if !$multipart and $changed{'headers'};
    return $self->Error(_TOEMPTY()) if !$self->{'to'};
    return $self->Error(_NOSERVER()) unless defined $self->{'smtp'};
    if ($Mail::Sender::{'SiteHook'} and !$self->SiteHook()) {
        return defined $self->{'error'} ? $self->{'error'} : ($self->{'error'} = -13);
    }
    return;
}

# where the real module "connects": here a spool to the daemon begins (sent at Close)
sub _begin {
    my ($self) = @_;
    $self->{'socket'} = { buf => '', message => undef, id_at => undef, id_line => undef };
    $self->_dbg_begin;
    CPANBridge::Shim::track('Mail::Sender', $self);
    $self->{'_data'} = 1;
}

sub _common_headers {
    my ($self) = @_;
    $self->_hdr("To" => (defined $self->{'fake_to'} ? $self->{'fake_to'} : $self->{'to'}), $self->{'charset'});
    $self->_hdr("From" => (defined $self->{'fake_from'} ? $self->{'fake_from'} : $self->{'from'}), $self->{'charset'});
    if (defined $self->{'fake_cc'} and $self->{'fake_cc'}) { $self->_hdr("Cc" => $self->{'fake_cc'}, $self->{'charset'}) }
    elsif (defined $self->{'cc'} and $self->{'cc'}) { $self->_hdr("Cc" => $self->{'cc'}, $self->{'charset'}) }
    $self->_hdr("Reply-To", $self->{'reply'}, $self->{'charset'}) if defined $self->{'reply'};
    $self->{'subject'} = "<No subject>" unless defined $self->{'subject'};
    $self->_hdr("Subject" => $self->{'subject'}, $self->{'charset'});
    unless ((defined $NO_DATE and $NO_DATE) or (defined $self->{'_headers'} and $self->{'_headers'} =~ /^Date:/m)
        or (defined $SITE_HEADERS && $SITE_HEADERS =~ /^Date:/m)) {
        my $date = localtime();
        $date =~ s/^(\w+)\s+(\w+)\s+(\d+)\s+(\d+:\d+:\d+)\s+(\d+)$/$1, $3 $2 $5 $4/;
        $self->_hdr("Date" => "$date $GMTdiff");
    }
    if ($self->{'priority'}) {
        $self->{'priority'} = $priority[$self->{'priority'}] if ($self->{'priority'} + 0 eq $self->{'priority'});
        $self->_hdr("X-Priority" => $self->{'priority'});
    }
    if ($self->{'confirm'}) {
        for my $confirm (split /\s*,\s*/, $self->{'confirm'}) {
            if ($confirm =~ /^\s*reading\s*(?:\:\s*(.*))?/i) {
                $self->_hdr("X-Confirm-Reading-To" => ($1 || $self->{'from'}), $self->{'charset'});
            }
            elsif ($confirm =~ /^\s*delivery\s*(?:\:\s*(.*))?/i) {
                my $to = $1;
                $self->_hdr("Return-Receipt-To" => ($to || $self->{'fromaddr'}), $self->{'charset'});
                $self->_hdr("Disposition-Notification-To" => ($to || $self->{'fromaddr'}), $self->{'charset'});
            }
        }
    }
}

sub _x_mailer {
    my ($self, $multipart) = @_;
    return if $multipart ? (defined $NO_X_MAILER and $NO_X_MAILER) : defined $NO_X_MAILER;
    my $script = File::Basename::basename($0);
    $self->_hdr("X-Mailer" => qq{Perl script "$script"\r\n\tusing Mail::Sender $VERSION by Jenda Krynicky, Czechlands\r\n\trunning on $local_name ($local_IP)\r\n\tunder account "} . getusername() . qq{"\r\n});
}

sub _message_id {
    my ($self) = @_;
    return if defined $NO_MESSAGE_ID and $NO_MESSAGE_ID;
    if (!defined $self->{'messageid'} or $self->{'messageid'} eq '') {
        if (defined $self->{'createmessageid'} and ref $self->{'createmessageid'} eq 'CODE') {
            $self->{'messageid'} = $self->{'createmessageid'}->($self->{'fromaddr'});
        }
        else {
            # MessageID()'s form, its random number replaced by one derived from the request id,
            # so that a resend after a crash carries the same Message-ID
            my ($sec, $min, $hour, $mday, $mon, $year) = gmtime(time);
            my $s = $self->{'socket'};
            $s->{id_at} = length $s->{buf};
            $s->{id_line} = _hdr_text('Message-ID', sprintf("<%04d%02d%02d_%02d%02d%02d_{id}.%s>", $year + 1900, $mon + 1, $mday, $hour, $min, $sec, $self->{'fromaddr'}));
            $self->{'_dbg'}{id_pos} = tell $self->{'_dbg'}{fh} if $self->{'_dbg'} and !$self->{'_dbg'}{off};
            return;
        }
    }
    $self->_hdr("Message-ID" => $self->{'messageid'});
}

# a message not closed by the script is sent (or cancelled after an error) first, as there
sub _next_message {
    my ($self) = @_;
    undef $Error;
    if (!$self->{'keepconnection'} and $self->{'_data'}) {
        if ($self->{'error'}) { $self->Cancel } else { $self->Close }
    }
    delete $self->{'error'};
    delete $self->{'encoding'};
    delete $self->{'messageid'};
}

sub Open {
    my $self = shift;
    local $_;
    $self->_next_message;
    $self->{'multipart'}    = 0;
    $self->{'_had_newline'} = 1;
    my @err = $self->_take_args(0, @_);
    return $err[0] if @err;

    my $headers;
    $self->{'ctype'} = 'text/plain' if (defined $self->{'charset'} and !defined $self->{'ctype'});
    if (defined $self->{'encoding'} or defined $self->{'ctype'}) {
        $headers = 'MIME-Version: 1.0';
        $headers .= "\r\nContent-Type: $self->{'ctype'}" if defined $self->{'ctype'};
        $headers .= "; charset=$self->{'charset'}" if defined $self->{'charset'};
        undef $self->{'chunk_size'};
        if (defined $self->{'encoding'}) {
            $headers .= "\r\nContent-Transfer-Encoding: $self->{'encoding'}";
            if ($self->{'encoding'} =~ /Base64/i) {
                $self->{'code'} = enc_base64($self->{'charset'});
                $self->{'chunk_size'} = $enc_base64_chunk;
            }
            elsif ($self->{'encoding'} =~ /Quoted[_\-]print/i) { $self->{'code'} = enc_qp($self->{'charset'}) }
            elsif ($self->{'encoding'} =~ /^[78]bit$/i) { $self->{'code'} = enc_plain($self->{charset}) }
            else { return $self->Error(_UNKNOWNENCODING($self->{'encoding'})) }
        }
    }
    $self->{'code'} = enc_plain($self->{charset}) unless $self->{'code'};
    $self->_begin;
    $self->_dbg_stop("\x0D\x0A... message headers and data skipped ...") if $self->_dbg_level >= 0 and $self->_dbg_level <= 1;
    $self->_common_headers;
    $self->_x_mailer(0);
    $self->_message_id;
    $self->_out($SITE_HEADERS, "\x0D\x0A") if defined $SITE_HEADERS;
    $self->_out($self->{'_headers'}, "\x0D\x0A") if defined $self->{'_headers'} and $self->{'_headers'};
    $self->_out($headers, "\r\n") if defined $headers;
    $self->_out("\r\n");
    $self->_dbg_stop("... message data skipped ...") if $self->_dbg_level >= 0 and $self->_dbg_level <= 2;
    return $self->_open_failed($@) unless eval { $self->_open_spool };
    return $self;
}

sub OpenMultipart {
    my $self = shift;
    local $_;
    $self->_next_message;
    $self->{'_part'} = 0;
    if (defined $self->{'type'} and $self->{'type'}) {
        $self->{'multipart'} = $1 if $self->{'type'} =~ m{^multipart/(.*)}i;
    }
    $self->{'multipart'} = 'Mixed' unless $self->{'multipart'};
    $self->{'idcounter'} = 0;
    my @err = $self->_take_args(1, @_);
    return $err[0] if @err;

    $self->_begin;
    $self->_dbg_stop("\x0D\x0A... message headers and data skipped ...") if $self->_dbg_level >= 0 and $self->_dbg_level <= 1;
    $self->_common_headers;
    $self->_x_mailer(1);
    $self->_out($SITE_HEADERS, "\r\n") if defined $SITE_HEADERS;
    $self->_message_id;
    $self->_out($self->{'_headers'}, "\r\n") if defined $self->{'_headers'} and $self->{'_headers'};
    $self->_out("MIME-Version: 1.0\r\n");
    $self->_hdr("Content-Type", qq{multipart/$self->{'multipart'};\r\n\tboundary="$self->{'boundary'}"});
    $self->_out("\r\n");
    $self->_dbg_stop("... message data skipped ...") if $self->_dbg_level >= 0 and $self->_dbg_level <= 2;
    return $self->_open_failed($@) unless eval { $self->_open_spool };
    $self->_out("This message is in MIME format. Since your mail reader does not understand\r\n"
        . "this format, some or all of this message may not be legible.\r\n" . "\r\n--$self->{'boundary'}\r\n");
    return $self;
}

# the dialog was refused at Open (connect, MAIL, RCPT...): the log so far, then the real error
sub _open_failed {
    my ($self, $e) = @_;
    $self->_dbg_write(ref $e ? $e->{transcript} : undef, 1);
    return $self->_smtp_error($e);
}

sub Connected {
    my $self = shift();
    return unless exists $self->{'socket'} and $self->{'socket'};
    return 1;
}

sub MailMsg {
    my $self = shift;
    my $msg;
    local $_;
    if (ref $_[0] eq 'HASH') { $msg = $_[0]->{'msg'} }
    else { $msg = pop }
    return $self->Error(_NOMSG()) unless $msg;
    if (ref $self->Open(@_) and ref $self->SendEnc($msg) and ref $self->Close()) { return $self }
    return $self->{'error'};
}

sub MailFile {
    my $self = shift;
    my $msg;
    local $_;
    my ($file, $desc, $haddesc, $ctype, $charset, $encoding);
    my @files;
    my $hash;
    if (ref $_[0] eq 'HASH') {
        $hash     = {%{$_[0]}};
        $msg      = delete $hash->{'msg'};
        $file     = delete $hash->{'file'};
        $desc     = delete $hash->{'description'};
        $haddesc  = 1 if defined $desc;
        $ctype    = delete $hash->{'ctype'};
        $charset  = delete $hash->{'charset'};
        $encoding = delete $hash->{'encoding'};
    }
    else {
        $desc    = pop if ($#_ >= 2);
        $haddesc = 1 if defined $desc;
        $file    = pop;
        $msg     = pop;
    }
    return $self->Error(_NOMSG())  unless $msg;
    return $self->Error(_NOFILE()) unless $file;
    if (ref $file eq 'ARRAY') { @files = @$file }
    elsif ($file =~ /,/) { @files = split / *, */, $file }
    else { @files = ($file) }
    foreach $file (@files) {
        return $self->Error(_FILENOTFOUND($file)) unless ($file =~ /^&/ or -e $file);
    }
    ref $self->OpenMultipart($hash ? $hash : @_)
        and ref $self->Body($self->{'b_charset'} || $self->{'charset'}, $self->{'b_encoding'}, $self->{'b_ctype'})
        and $self->SendEnc($msg)
        or return $self->{'error'};
    $Error = '';
    foreach $file (@files) {
        my $cnt;
        my $filename = File::Basename::basename $file;
        my $ctype    = $ctype || GuessCType $filename, $file;
        my $encoding = $encoding || ($ctype =~ m#^text/#i ? 'Quoted-printable' : 'Base64');
        $desc = $filename unless (defined $haddesc);
        $self->Part({
            encoding    => $encoding,
            disposition => (defined $self->{'disposition'} ? $self->{'disposition'} : "attachment; filename=\"$filename\""),
            ctype       => ($ctype =~ /;\s*name(?:\*(?:0\*?)?)?=/ ? $ctype : "$ctype; name=\"$filename\"") . (defined $charset ? "; charset=$charset" : ''),
            description => $desc,
        });
        my $code = $self->{'code'};
        open my $FH, "<", $file or return $self->Error(_FILECANTREAD($file, "$!"));
        binmode $FH unless $ctype =~ m#^text/#i and $encoding =~ /Quoted[_\-]print|Base64/i;
        my $mychunksize = defined $self->{'chunk_size'} ? $chunksize64 : $chunksize;
        while (read $FH, $cnt, $mychunksize) {
            $cnt = $code->($cnt);
            $cnt =~ s/^\.\././ unless $self->{'_had_newline'};
            $self->_out($cnt);
            $self->{'_had_newline'} = ($cnt =~ /[\n\r]$/);
        }
        close $FH;
    }
    if ($Error eq '') { undef $Error } else { chomp $Error }
    return $self->Close;
}

sub Send {
    my $self = shift;
    $self->_out(@_);
    return $self;
}

sub SendLine {
    my $self = shift;
    $self->_out(@_, "\x0D\x0A");
    return $self;
}

sub print { return shift->SendEnc(@_) }
sub SendLineEnc { push @_, "\r\n"; return shift->SendEnc(@_) }

sub SendEnc {
    my $self = shift;
    local $_;
    my $code = $self->{'code'};
    $self->{'code'} = $code = enc_plain($self->{'charset'}) unless defined $code;
    $self->{'socket'} or return $self->Error(_NOTCONNECTED());
    if (defined $self->{'chunk_size'}) {
        my $chunk = $self->{'chunk_size'};
        my $str = defined $self->{'_buffer'} ? join('', $self->{'_buffer'}, @_) : join('', @_);
        my $len = length $str;
        my $blen;
        if (($blen = ($len % $chunk)) > 0) {
            $self->{'_buffer'} = substr($str, ($len - $blen));
            $self->_out($code->(substr($str, 0, $len - $blen)));
        }
        else {
            delete $self->{'_buffer'};
            $self->_out($code->($str));
        }
    }
    else {
        my $encoded = $code->(join('', @_));
        $encoded =~ s/^\.\././ unless $self->{'_had_newline'};
        $self->_out($encoded);
        $self->{'_had_newline'} = ($_[-1] =~ /[\n\r]$/);
    }
    return $self;
}

sub SendLineEx { push @_, "\r\n"; shift->SendEx(@_) }

sub SendEx {
    my $self = shift;
    $self->{'socket'} or return $self->Error(_NOTCONNECTED());
    my @data = @_;
    foreach my $str (@data) {
        $str =~ s/(?:\x0D\x0A?|\x0A)/\x0D\x0A/sg;
        $str =~ s/^\./../mg;
    }
    $self->_out(@data);
    return $self;
}

sub Part {
    my $self = shift;
    local $_;
    return $self->Error(_NOTMULTIPART("\$sender->Part()")) if !$self->{'multipart'};
    $self->EndPart();
    my ($description, $ctype, $encoding, $disposition, $content_id, $msg, $charset);
    if (ref $_[0] eq 'HASH') {
        my $hash = $_[0];
        ($description, $ctype, $encoding, $disposition, $content_id, $msg, $charset) = @$hash{qw(description ctype encoding disposition content_id msg charset)};
    }
    else {
        ($description, $ctype, $encoding, $disposition, $content_id, $msg) = @_;
    }
    $ctype       = "application/octet-stream" unless defined $ctype;
    $disposition = "attachment" unless defined $disposition;
    $encoding    = "7BIT" unless defined $encoding;
    $self->{'encoding'} = $encoding;
    if (defined $charset and $charset and $ctype !~ /charset=/i) { $ctype .= qq{; charset="$charset"} }
    elsif (!defined $charset and $ctype =~ /charset="([^"]+)"/) { $charset = $1 }
    $self->{'socket'} or return $self->Error(_NOTCONNECTED());
    undef $self->{'chunk_size'};
    if ($encoding =~ /Base64/i) {
        $self->{'code'} = enc_base64($charset);
        $self->{'chunk_size'} = $enc_base64_chunk;
    }
    elsif ($encoding =~ /Quoted[_\-]print/i) { $self->{'code'} = enc_qp($charset) }
    else { $self->{'code'} = enc_plain($charset) }
    $self->_dbg_start if $self->_dbg_level == 3;
    if ($ctype =~ m{^multipart/}i) {
        $self->{'_part'} += 2;
        $self->_out("Content-Type: $ctype; boundary=\"Part-$self->{'boundary'}_$self->{'_part'}\"\r\n\r\n");
    }
    else {
        $self->{'_part'}++;
        $self->_out("Content-Type: $ctype\r\n");
        $self->_out("Content-Description: $description\r\n") if $description;
        $self->_out("Content-Transfer-Encoding: $encoding\r\n");
        $self->_out("Content-Disposition: $disposition\r\n") unless $disposition eq '' or uc($disposition) eq 'NONE';
        $self->_out("Content-ID: <$content_id>\r\n") if (defined $content_id);
        $self->_out("\r\n");
        $self->_dbg_stop("... data skipped ...") if $self->_dbg_level == 3;
        $self->SendEnc($msg) if defined $msg;
    }
    return $self;
}

sub Body {
    my $self = shift;
    if (!$self->{'multipart'}) {
        return $self->Error(_NOTMULTIPART("\$sender->Body()")) if @_;
        return $self;
    }
    my $hash;
    $hash = shift() if (ref $_[0] eq 'HASH');
    my $charset  = shift || $hash->{'charset'} || 'US-ASCII';
    my $encoding = shift || $hash->{'encoding'} || $self->{'encoding'} || '7BIT';
    my $ctype    = shift || $hash->{'ctype'} || $self->{'ctype'} || 'text/plain';
    $ctype .= qq{; charset="$charset"} unless $ctype =~ /charset=/i;
    $self->{'encoding'} = $encoding;
    $self->{'ctype'}    = $ctype;
    $self->Part("Mail message body", $ctype, $encoding, 'inline', undef, $hash->{'msg'});
    return $self;
}

sub Attach { shift->SendFile(@_) }

sub SendFile {
    my $self = shift;
    local $_;
    return $self->Error(_NOTMULTIPART("\$sender->SendFile()")) if !$self->{'multipart'};
    return $self->Error(_NOTCONNECTED()) if !$self->{'socket'};
    my ($description, $ctype, $encoding, $disposition, $file, $content_id, @files);
    if (ref $_[0] eq 'HASH') {
        ($description, $ctype, $encoding, $disposition, $file, $content_id) = @{$_[0]}{qw(description ctype encoding disposition file content_id)};
    }
    else {
        ($description, $ctype, $encoding, $disposition, $file, $content_id) = @_;
    }
    return ($self->{'error'} = (_NOFILE())[0]) unless $file;
    if (ref $file eq 'ARRAY') { @files = @$file }
    elsif ($file =~ /,/) { @files = split / *, */, $file }
    else { @files = ($file) }
    foreach $file (@files) {
        return $self->Error(_FILENOTFOUND($file)) unless ($file =~ /^&/ or -e $file);
    }
    $disposition = "attachment; filename=*" unless defined $disposition;
    $encoding = 'Base64' unless $encoding;
    if ($self->{'_buffer'}) {
        my $code = $self->{'code'};
        $self->_out($code->($self->{'_buffer'}));
        delete $self->{'_buffer'};
    }
    my $code;
    if ($encoding =~ /Base64/i) { $code = enc_base64() }
    elsif ($encoding =~ /Quoted[_\-]print/i) { $code = enc_qp() }
    else { $code = enc_plain() }
    $self->{'code'} = $code;
    foreach $file (@files) {
        $self->EndPart();
        $self->{'_part'}++;
        $self->{'encoding'} = $encoding;
        my $cnt    = '';
        my $name   = File::Basename::basename $file;
        my $fctype = $ctype ? $ctype : GuessCType $name, $file;
        $self->{'ctype'} = $fctype;
        $self->_dbg_start if $self->_dbg_level == 3;
        if ($fctype =~ /;\s*name(?:\*(?:0\*?)?)?=/) { $self->_out("Content-Type: $fctype\r\n") }
        else { $self->_out("Content-Type: $fctype; name=\"$name\"\r\n") }
        $self->_out("Content-Description: $description\r\n") if $description;
        $self->_out("Content-Transfer-Encoding: $encoding\r\n");
        if ($disposition =~ /^(.*)filename=\*(.*)$/i) { $self->_out("Content-Disposition: ${1}filename=\"$name\"$2\r\n") }
        elsif ($disposition and uc($disposition) ne 'NONE') { $self->_out("Content-Disposition: $disposition\r\n") }
        if ($content_id) {
            if ($content_id eq '*') { $self->_out("Content-ID: <$name>\r\n") }
            elsif ($content_id eq '#') { $self->_out("Content-ID: <id" . $self->{'idcounter'}++ . ">\r\n") }
            else { $self->_out("Content-ID: <$content_id>\r\n") }
        }
        $self->_out("\r\n");
        $self->_dbg_stop("... data skipped ...") if $self->_dbg_level == 3;
        open my $FH, "<", $file or return $self->Error(_FILECANTREAD($file, "$!"));
        binmode $FH unless $fctype =~ m#^text/#i and $encoding =~ /Quoted[_\-]print|Base64/i;
        my $mychunksize = lc($encoding) eq "base64" ? $chunksize64 : $chunksize;
        $self->{'socket'} or return $self->Error(_NOTCONNECTED());
        while (read $FH, $cnt, $mychunksize) { $self->_out($code->($cnt)) }
        close $FH;
    }
    return $self;
}

sub EndPart {
    my $self = shift;
    return unless $self->{'_part'};
    my $end = shift();
    my $LN = "\x0D\x0A";
    $self->{'socket'} or return $self->Error(_NOTCONNECTED());
    if ($self->{'_buffer'}) {
        my $code = $self->{'code'};
        $self->_out(defined $code ? $code->($self->{'_buffer'}) : $self->{'_buffer'});
        delete $self->{'_buffer'};
    }
    if ($self->{'_had_newline'}) { $LN = '' }
    else { $self->_out("=") if !$self->{'bypass_outlook_bug'} and $self->{'encoding'} =~ /Quoted[_\-]print/i }
    $self->_dbg_start if $self->_dbg_level == 3;
    if ($self->{'_part'} > 1) { $self->_out("$LN--Part-$self->{'boundary'}_$self->{'_part'}", ($end ? "--" : ()), "\r\n") }
    else { $self->_out("$LN--$self->{'boundary'}", ($end ? "--" : ()), "\r\n") }
    $self->{'_part'}--;
    $self->{'code'}     = enc_plain($self->{'charset'});
    $self->{'encoding'} = '';
    return $self;
}

# the SMTP parameters of the send; the password travels only in this request (never journaled)
sub _server {
    my ($self) = @_;
    my %p = (
        host => "$self->{'smtp'}", port => 0 + $self->{'port'}, timeout => 0 + ($self->{'timeout'} || 120),
        client => "" . ($self->{'client'} || 'localhost'),
        tls => ($self->{'tls_required'} ? 'required' : $self->{'tls_allowed'} ? 'allowed' : 'never'),
        skip_bad => ($self->{'skip_bad_recipients'} ? JSON::PP::true() : JSON::PP::false()),
        auth => undef,
    );
    $p{resend_in_doubt} = JSON::PP::true() if $ENV{CPAN_BRIDGE_MAIL_RESEND_IN_DOUBT};
    $p{dsn} = $self->_dsn if $self->_dsn;
    if ($self->{'auth'} or $self->{'username'}) {
        my $id  = exists $self->{'authid'} ? $self->{'authid'} : $self->{'username'};
        my $pwd = exists $self->{'authpwd'} ? $self->{'authpwd'} : $self->{'password'};
        $p{auth} = { method => uc($self->{'auth'}) || 'LOGIN', user => "$id" };
        $p{password} = "$pwd";
    }
    return \%p;
}

sub Close {
    my $self = shift;
    local $_;
    my $s = $self->{'socket'};
    return 0 unless $s;
    if ($self->{'_data'}) {
        if ($self->{'_buffer'}) {
            my $code = $self->{'code'};
            $self->_out(defined $code ? $code->($self->{'_buffer'}) : $self->{'_buffer'});
            delete $self->{'_buffer'};
        }
        while ($self->{'_part'}) { $self->EndPart(1) }
        $self->_dbg_start;
        $self->_out("\r\n");    # the real module's "\r\n.\r\n": the daemon writes the "."
        $self->_dbg_print(".\r\n");
        $self->{'_data'} = 0;
        my %p = (message => $s->{message}, %{ $self->_server });
        $p{transcript} = JSON::PP::true() if $self->{'_dbg'};
        my $r = eval { $self->_flush(1); CPANBridge::call('mail', 'send', \%p) };
        unless ($r) {
            my $e = $@;
            $self->_dbg_write(ref $e ? $e->{transcript} : undef, 1);
            return $self->_smtp_error($e);
        }
        $self->_dbg_write($r->{transcript}, 0);
        $self->_skipped($r->{rejected});
        $self->{message_response} = $LastResponse = _response($r->{response});
    }
    delete $self->{'encoding'};
    delete $self->{'ctype'};
    $self->_discard;
    return $self;
}

sub Cancel {
    my $self = shift;
    $self->{'socket'} or return $self->Error(_NOTCONNECTED());
    $self->_discard;
    delete $self->{'_data'};
    delete $self->{'error'};
    return $self;
}

sub DESTROY {
    return if ref($_[0]) ne 'Mail::Sender';
    my $self = shift;
    return unless defined $self->{'socket'} and CPANBridge::Shim::own_thread($self->{'_thread'});
    delete $self->{'keepconnection'};
    local ($@, $!, $?);
    eval { $self->Close };
}

END {
    # objects still open at exit are closed (sent) as the real DESTROY does
    for my $o (CPANBridge::Shim::live('Mail::Sender')) { local ($@, $!, $?); eval { $o->Close } if $o->{'socket'} }
}

sub MessageID {
    my $from = shift;
    my ($sec, $min, $hour, $mday, $mon, $year) = gmtime(time);
    return sprintf "<%04d%02d%02d_%02d%02d%02d_%06d.%s>", $year + 1900, $mon + 1, $mday, $hour, $min, $sec, rand(100000), $from;
}

sub _not_supported { my ($name) = @_; Carp::croak("Mail::Sender::$name is not supported on the CPAN Bridge (it talks to the server outside a send)") }
sub QueryAuthProtocols { _not_supported('QueryAuthProtocols') }
sub printAuthProtocols { _not_supported('printAuthProtocols') }
sub TestServer { _not_supported('TestServer') }
sub GetHandle { _not_supported('GetHandle') }
sub SendFileEx { _not_supported('SendFileEx') }

1;
